"""Seeds the benchmark database through the REST API (scripts/bench-api.sh): COUNT requests
over CONNECTIONS concurrent keep-alive connections for 1,000 distinct customers, the same
bodies as bench-api.lua (the first call per customer creates the account). Exits non-zero if
any answer is not 201."""

import http.client
import json
import os
import sys
import threading
import time

port, key = int(sys.argv[1]), os.environ["BENCH_KEY"]
count, connections = int(sys.argv[2]), int(sys.argv[3])
failures = []


def body(n):
    customer = n % 1000
    return json.dumps({
        "customer": {
            "document_type": "CC",
            "document_number": str(10000001 + customer),
            "new_account": {"full_name": f"Cliente de prueba {customer}",
                            "email": f"bench{customer}@correo.co", "consent": True},
        },
        "request_type": "reclamo",
        "subject": f"Carga {n}",
        "description": f"Solicitud de prueba de carga número {n}.",
        "channel": "web",
    })


def worker(start):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    # Connection c files n = c, c + C, c + 2C, …: the first 1,000 calls are 1,000 people.
    for n in range(start, count, connections):
        conn.request("POST", "/api/v1/requests", body(n), headers)
        response = conn.getresponse()
        response.read()
        if response.status != 201:
            failures.append(response.status)


began = time.time()
threads = [threading.Thread(target=worker, args=(c,)) for c in range(connections)]
for t in threads:
    t.start()
for t in threads:
    t.join()
elapsed = time.time() - began
print(f"sembradas {count} en {elapsed:.1f} s ({count / elapsed:.0f}/s), respuestas distintas de 201: {len(failures)}")
sys.exit(1 if failures else 0)
