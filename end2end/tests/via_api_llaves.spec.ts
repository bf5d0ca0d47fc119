import { test, expect, signIn, freshCustomer } from './fixtures';

// Runs after the specs that count the demo queues (it files a request), for a new customer.

test('el administrador crea una llave de API que se muestra una vez, la usa y la revoca', async ({ page, request }) => {
  const name = `Formulario web ${Date.now()}`;
  await signIn(page, 'admin@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Llaves de API' }).click();
  await expect(page.getByRole('heading', { name: 'Llaves de API' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  await page.getByLabel('Nombre (para qué sistema es)').fill(name);
  await page.getByLabel(/requests:read/).check();
  await page.getByLabel(/requests:write/).check();
  await page.getByLabel(/customers:write/).check();
  await page.getByLabel('Límite de llamadas por minuto').fill('100');
  await page.getByRole('button', { name: 'Crear llave' }).click();
  const secret = page.getByTestId('secreto');
  await expect(secret).toHaveText(/^vnt_[0-9a-f]{64}$/);
  const key = await secret.innerText();
  const row = page.getByRole('row', { name: new RegExp(name) });
  await expect(row).toContainText('requests:read, requests:write, customers:write');
  await expect(row).toContainText(key.slice(0, 12));

  // Another system files with it, for a customer it registers with her consent.
  const customer = freshCustomer();
  const filed = await request.post('/api/v1/requests', {
    headers: { Authorization: `Bearer ${key}`, 'Idempotency-Key': name },
    data: {
      customer: {
        document_type: 'CC',
        document_number: customer.cedula,
        new_account: { full_name: 'Lina Marcela Ossa', email: customer.email, consent: true },
      },
      request_type: 'consulta',
      subject: 'Consulta desde el sitio web',
      description: 'Quiero saber los horarios de recogida en Bogotá.',
    },
  });
  expect(filed.status()).toBe(201);
  expect((await filed.json()).channel).toBe('web');

  // Shown once: a fresh load of the page lists the key without its secret.
  await page.reload();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByTestId('secreto')).toHaveCount(0);
  await expect(page.getByText(key)).toHaveCount(0);

  await page.getByRole('button', { name: `Revocar ${name}` }).click();
  await expect(page.getByRole('row', { name: new RegExp(name) })).toContainText('Revocada');
  const refused = await request.get('/api/v1/requests', { headers: { Authorization: `Bearer ${key}` } });
  expect(refused.status()).toBe(401);
  expect(refused.headers()['content-type']).toBe('application/problem+json');
});
