import { test, expect, open, signIn, signOut, registerCustomer } from './fixtures';

// Seed 003 §4 step 4 on a phone: a detractor is reached by the asesor, who escalates the
// problem to Facturación (a request is filed for the area), and the customer then answers
// the second survey, about the call, from the original request in the app.

test('el asesor escala el caso del detractor y el cliente responde la encuesta de la llamada', async ({ page }) => {
  const customer = await registerCustomer(page, 'Nora Recuperada');
  await open(page, '/portal/nueva');
  await page.getByLabel('Tipo de solicitud').selectOption('reclamo');
  await page.getByLabel('Asunto').fill('Factura con cobro doble');
  await page.getByLabel('Descripción').fill('En la factura de este mes aparece dos veces el mismo cargo.');
  await page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(page).toHaveURL(/\/portal\/solicitudes\/\d{4}-\d{6}\?radicada=1$/);
  const radicado = page.url().match(/(\d{4}-\d{6})/)![1];
  await page.getByText('Cerrar solicitud').click();
  await page.getByRole('button', { name: 'Sí, cerrar definitivamente' }).click();
  await expect(page.locator('.state')).toHaveText('Cerrada');
  await page.getByRole('link', { name: 'Responder la encuesta' }).click();
  await page.getByRole('group', { name: /satisfecho/ }).getByLabel('1', { exact: true }).check();
  await page.getByRole('group', { name: /recomiende/ }).getByLabel('2', { exact: true }).check();
  await page.getByRole('group', { name: '¿Se resolvió su solicitud?' }).getByLabel('No', { exact: true }).check();
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status')).toContainText('¡Gracias!');
  await signOut(page);

  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, '/equipo/detractores');
  await page.locator('tr', { hasText: radicado }).getByRole('link', { name: 'Nora Recuperada' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Resultado del intento').selectOption('contacto_efectivo');
  await page.getByLabel(/Motivo de la mala calificación/).fill('El cobro doble no se reversó a tiempo.');
  await page.getByLabel(/Solución/).selectOption('escalado');
  await page.getByLabel(/Área/).selectOption({ label: 'Facturación' });
  await page.getByRole('button', { name: 'Registrar intento' }).click();
  await expect(page.locator('.state')).toHaveText('Contacto efectivo');
  const escalated = page.locator('p', { hasText: 'Solicitud escalada:' }).getByRole('link');
  await expect(escalated).toHaveText(/\d{4}-\d{6}/);
  await expect(page.locator('p', { hasText: 'Encuesta sobre la llamada:' })).toContainText('Enviada, sin respuesta todavía');
  await signOut(page);

  await signIn(page, customer.email, 'clave-segura-1');
  await expect(page).toHaveURL(/\/portal$/);
  await open(page, `/portal/solicitudes/${radicado}`);
  await page.getByRole('link', { name: 'Responder la encuesta' }).click();
  await expect(page.getByText('Sobre la llamada que le hicimos')).toBeVisible();
  await expect(page.getByRole('group', { name: '¿Se resolvió su solicitud?' })).toHaveCount(0);
  await page.getByRole('group', { name: /asesor que lo llamó/ }).getByLabel('5', { exact: true }).check();
  await page.getByRole('group', { name: /recomiende/ }).getByLabel('9', { exact: true }).check();
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status')).toContainText('¡Gracias!');
  await open(page, `/portal/solicitudes/${radicado}`);
  await expect(page.getByRole('link', { name: 'Responder la encuesta' })).toHaveCount(0);
});
