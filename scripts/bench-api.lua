-- wrk script for scripts/bench-api.sh: every call files a request through the REST API for
-- one of 1,000 distinct customers (cédulas 10000001..10001000). The first call for each
-- customer carries `new_account`, so the seeding run creates the accounts; later calls find
-- them by document and `new_account` is ignored (bench-seed.py sends the same bodies).
local key = os.getenv("BENCH_KEY")
local threads = {}
local counter = 0

function setup(thread)
  thread:set("id", #threads)
  table.insert(threads, thread)
end

function init(args)
  errors = 0
  n = 0
end

function request()
  -- Two threads interleave customers so that the first 1,000 calls are 1,000 different people.
  local customer = (n * 2 + id) % 1000
  n = n + 1
  local cedula = tostring(10000001 + customer)
  local body = string.format(
    '{"customer":{"document_type":"CC","document_number":"%s","new_account":{"full_name":"Cliente de prueba %d","email":"bench%d@correo.co","consent":true}},' ..
    '"request_type":"reclamo","subject":"Carga %d","description":"Solicitud de prueba de carga número %d.","channel":"web"}',
    cedula, customer, customer, n, n)
  return wrk.format("POST", "/api/v1/requests", {
    ["Authorization"] = "Bearer " .. key,
    ["Content-Type"] = "application/json",
  }, body)
end

function response(status, headers, body)
  if status ~= 201 then
    errors = errors + 1
  end
end

function done(summary, latency, requests)
  local failed = 0
  for _, thread in ipairs(threads) do
    failed = failed + (thread:get("errors") or 0)
  end
  io.write(string.format("answers other than 201: %d\n", failed))
end
