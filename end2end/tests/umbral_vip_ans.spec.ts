import { test, expect, open, signIn, signOut, registerCustomer } from './fixtures';

// Issue 19, seed 000 §3 and §11: the admin lowers the VIP threshold from 1,5 to 1,1 SMLMV in
// the ANS screen. A bad matrix is refused and changes nothing; the new version rules from now
// on, the customer reads the announcement on the portal, and their next filing is VIP. The
// test then publishes 1,5 again so the files after it see the demo's usual ANS.
test.use({ expectedHttpErrors: [422] });

async function openAns(page: import('@playwright/test').Page) {
  await signIn(page, 'admin@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'ANS', exact: true }).click();
  await expect(page).toHaveURL(/\/equipo\/ans$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

test('el administrador baja el umbral VIP y la siguiente solicitud del cliente es VIP', async ({ page }) => {
  const customer = await registerCustomer(page, 'Gloria Umbral Peña');
  await signOut(page);

  // 2.300.000 a month is 1,3 SMLMV of 2026: Regular while the threshold is 1,5.
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, `/equipo/clientes?q=${customer.cedula}`);
  await page.getByRole('link', { name: 'Gloria Umbral Peña' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByText('Editar datos comerciales').click();
  await page.getByLabel('Valor del contrato mensual (pesos; vacío si no tiene)').fill('2.300.000');
  await page.getByLabel('Motivo del cambio').fill('Contrato del plan empresarial básico');
  await page.getByRole('button', { name: 'Guardar datos comerciales' }).click();
  await expect(page.getByRole('status')).toContainText('Regular');
  await signOut(page);

  await openAns(page);
  await expect(page.getByRole('heading', { name: 'Acuerdo de Niveles de Servicio (ANS)' })).toBeVisible();
  const threshold = page.getByLabel(/Umbral VIP \(SMLMV\)/);
  await expect(threshold).toHaveValue('1,5');
  await expect(page.getByLabel('VIP · prioridad alta (horas hábiles)')).toHaveValue('1');

  // A lower priority answered sooner than a higher one is refused.
  await page.getByLabel('VIP · prioridad baja (horas hábiles)').fill('2');
  await threshold.fill('1,1');
  await page.getByLabel(/Motivo del cambio/).fill('Revisión anual: VIP desde 1,1 SMLMV');
  await page.getByLabel('Avisar a los clientes activos por correo y en el portal').check();
  await page.getByRole('button', { name: 'Publicar versión' }).click();
  await expect(page.getByRole('alert')).toContainText('la prioridad baja no puede tener menos horas que la prioridad media');

  await page.getByLabel('VIP · prioridad baja (horas hábiles)').fill('6');
  await page.getByRole('button', { name: 'Publicar versión' }).click();
  await expect(page.getByRole('status')).toContainText(/Versión \d+ del ANS publicada: rige desde ahora/);
  const current = page.locator('.ans-versions tbody tr').first();
  await expect(current).toContainText('Vigente');
  await expect(current).toContainText('VIP desde un contrato mensual de más de 1,1 SMLMV');
  await expect(current).toContainText('Revisión anual: VIP desde 1,1 SMLMV');
  await signOut(page);

  await signIn(page, customer.cedula, 'clave-segura-1');
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole('complementary', { name: 'Cambios en los tiempos de respuesta' }))
    .toContainText('rigen nuevos tiempos de respuesta');
  await page.getByRole('link', { name: 'Nueva solicitud' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText('Prioridad (cliente VIP)')).toBeVisible();
  await signOut(page);

  // Back to the demo's ANS for the files that follow.
  await openAns(page);
  await page.getByLabel(/Umbral VIP \(SMLMV\)/).fill('1,5');
  await page.getByLabel(/Motivo del cambio/).fill('Se restablece el umbral de la demostración');
  await page.getByRole('button', { name: 'Publicar versión' }).click();
  await expect(page.getByRole('status')).toContainText('rige desde ahora');
  await expect(page.locator('.ans-versions tbody tr').first()).toContainText('1,5 SMLMV');
});

// Issue 19, seed 002 §4 ("primer contacto … dentro de las 24 horas") and the business hours of
// a version: the admin opens Saturdays and measures the first contact; a half-filled Saturday
// is refused. The customer's next request shows the first-contact clock on its page and in
// the agent's queue. Then the demo's hours are published again.
test('el administrador abre los sábados y mide el primer contacto en 24 horas', async ({ page }) => {
  await openAns(page);
  await expect(page.getByLabel('Lunes a viernes, apertura')).toHaveValue('08:00');
  await page.getByLabel('Sábado, apertura (vacío: no se atiende)').fill('08:00');
  await page.getByLabel(/Primer contacto dentro de/).fill('24');
  await page.getByLabel(/Motivo del cambio/).fill('Atención los sábados y primer contacto en 24 horas');
  await page.getByRole('button', { name: 'Publicar versión' }).click();
  await expect(page.getByRole('alert')).toContainText('Sábado: escriba la hora de apertura y la de cierre');

  await page.getByLabel('Sábado, cierre').fill('12:00');
  await page.getByRole('button', { name: 'Publicar versión' }).click();
  await expect(page.getByRole('status')).toContainText('rige desde ahora');
  const current = page.locator('.ans-versions tbody tr').first();
  await expect(current).toContainText('sábados 08:00–12:00');
  await expect(current).toContainText('Primer contacto dentro de 24 horas calendario');
  await signOut(page);

  const customer = await registerCustomer(page, 'Óscar Primer Contacto');
  await page.getByRole('link', { name: 'Nueva solicitud' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Tipo de solicitud').selectOption('reclamo');
  await page.getByLabel('Asunto').fill('Horario de atención del sábado');
  await page.getByLabel('Descripción').fill('Quiero saber si el sábado atienden la línea de soporte.');
  await page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(page.getByRole('status')).toContainText('Su solicitud quedó radicada con el número');
  const radicado = page.url().match(/(\d{4}-\d{6})/)![1];
  await expect(page.locator('.clocks')).toContainText('Primer contacto');
  await signOut(page);

  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, `/equipo?cola=todas&q=${radicado}`);
  const row = page.locator('tr', { hasText: radicado });
  await expect(row).toContainText('Primer contacto');
  await expect(row.locator('.timer').first()).toContainText(/\d+ h \d{2} min/);
  await signOut(page);
  expect(customer.cedula).toBeTruthy();

  // Back to the demo's hours for the files that follow.
  await openAns(page);
  await page.getByLabel('Sábado, apertura (vacío: no se atiende)').fill('');
  await page.getByLabel('Sábado, cierre').fill('');
  await page.getByLabel(/Primer contacto dentro de/).fill('');
  await page.getByLabel(/Motivo del cambio/).fill('Se restablece el horario de la demostración');
  await page.getByRole('button', { name: 'Publicar versión' }).click();
  await expect(page.getByRole('status')).toContainText('rige desde ahora');
  await expect(page.locator('.ans-versions tbody tr').first()).toContainText('sábados cerrado');
});
