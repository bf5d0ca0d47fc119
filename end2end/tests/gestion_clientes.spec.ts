// Named to run after equipo.spec.ts: files run in order on one server, and the request
// filed here would otherwise be a sixth row in that test's "Sin asignar" queue.
// A supervisor finds a customer by document, reads everything about them on one page, makes
// them VIP and leaves a note; the customer's next filing offers the VIP priorities (issue 19;
// seed 000 §3, seed 002 §5.2.8, seed 004 §4).
import { test, expect, open, signIn, signOut, registerCustomer } from './fixtures';

test.use({ expectedHttpErrors: [422] });

test('la supervisora encuentra a un cliente, lo pasa a VIP y su siguiente solicitud es VIP', async ({ page }) => {
  const customer = await registerCustomer(page, 'Rosa Elena Vargas');
  await page.getByRole('link', { name: 'Nueva solicitud' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText('Prioridad (cliente Flotante)')).toBeVisible();
  await page.getByLabel('Tipo de solicitud').selectOption('reclamo');
  await page.getByLabel('Asunto').fill('Factura con un cobro que no reconozco');
  await page.getByLabel('Descripción').fill('En la factura de noviembre aparece un cargo adicional sin explicación.');
  await page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(page).toHaveURL(/\/portal\/solicitudes\/\d{4}-\d{6}\?radicada=1$/);
  const radicado = page.url().match(/(\d{4}-\d{6})/)![1];
  await signOut(page);

  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Clientes' }).click();
  await expect(page.getByRole('heading', { name: 'Clientes' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Buscar cliente').fill(customer.cedula);
  await page.getByRole('button', { name: 'Buscar' }).click();
  await expect(page).toHaveURL(new RegExp(`/equipo/clientes\\?q=${customer.cedula}$`));
  const row = page.getByRole('row').filter({ hasText: 'Rosa Elena Vargas' });
  await expect(row).toContainText(`CC ${customer.cedula}`);
  await expect(row).toContainText('Flotante');
  await row.getByRole('link', { name: 'Rosa Elena Vargas' }).click();

  // The 360 view: who, how to reach them, their standing, requests, surveys, cases, notes.
  await expect(page.getByRole('heading', { level: 1, name: 'Rosa Elena Vargas' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText(customer.email)).toBeVisible();
  await expect(page.getByRole('link', { name: radicado })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Encuestas respondidas' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Casos de detractores' })).toBeVisible();
  await expect(page.locator('.facts')).toContainText('Sin contrato mensual');

  // A wrong value is refused with a reason and changes nothing.
  await page.getByText('Editar datos comerciales').click();
  await page.getByLabel('Valor del contrato mensual (pesos; vacío si no tiene)').fill('-30000');
  await page.getByLabel('Motivo del cambio').fill('Firmó contrato empresarial');
  await page.getByRole('button', { name: 'Guardar datos comerciales' }).click();
  await expect(page.getByRole('alert')).toContainText('no puede ser negativo');
  await expect(page.locator('.facts')).toContainText('Flotante');

  await page.getByLabel('Valor del contrato mensual (pesos; vacío si no tiene)').fill('30.000.000');
  await page.getByRole('button', { name: 'Guardar datos comerciales' }).click();
  await expect(page.getByRole('status')).toContainText('Las próximas solicitudes se radican como VIP');
  await expect(page.locator('.facts')).toContainText('$ 30.000.000');
  await expect(page.locator('.facts')).toContainText('VIP');
  // The request already filed keeps the tier it was filed with.
  await expect(page.getByRole('row').filter({ hasText: radicado })).toContainText('Flotante');

  await page.getByLabel(/Nueva nota/).fill('Firmó contrato empresarial; el contacto es su asistente.');
  await page.getByRole('button', { name: 'Guardar nota' }).click();
  await expect(page.locator('.customer-notes')).toContainText('Firmó contrato empresarial; el contacto es su asistente.');
  await expect(page.locator('.customer-notes')).toContainText('Sofía Supervisora');
  await signOut(page);

  await signIn(page, customer.cedula, 'clave-segura-1');
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole('link', { name: 'Nueva solicitud' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText('Prioridad (cliente VIP)')).toBeVisible();

  // The customer closes the first request; staff find it afterwards among the closed ones.
  await open(page, `/portal/solicitudes/${radicado}`);
  await page.getByText('Cerrar solicitud').click();
  await page.getByRole('button', { name: 'Sí, cerrar definitivamente' }).click();
  await expect(page.locator('.state')).toHaveText('Cerrada');
  await signOut(page);

  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByRole('navigation', { name: 'Colas' }).getByRole('link', { name: 'Cerradas' }).click();
  await expect(page).toHaveURL(/cola=cerradas/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Buscar').fill(radicado);
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page.locator('table.queue tbody tr')).toHaveCount(1);
  await expect(page.locator('table.queue tbody tr')).toContainText('Cerrada');
  await page.getByRole('link', { name: radicado }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(radicado);
  // From the request, the customer's page is one click away.
  await page.getByRole('link', { name: 'Rosa Elena Vargas' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Rosa Elena Vargas' })).toBeVisible();
  await signOut(page);
});

test('la supervisora bloquea el acceso web de un cliente y luego lo habilita', async ({ page }) => {
  const customer = await registerCustomer(page, 'Julián Andrés Mora');
  await signOut(page);
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, `/equipo/clientes?q=${customer.cedula}`);
  await page.getByRole('link', { name: 'Julián Andrés Mora' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByText('Bloquear acceso al portal').click();
  await page.getByLabel('Motivo del bloqueo').fill('El titular reportó suplantación');
  await page.getByRole('button', { name: 'Bloquear acceso' }).click();
  await expect(page.getByRole('status')).toContainText('Acceso al portal bloqueado');
  await expect(page.locator('h1 + .meta')).toContainText('Portal bloqueado');
  await signOut(page);

  await signIn(page, customer.cedula, 'clave-segura-1');
  await expect(page.getByRole('alert')).toContainText('El acceso de su cuenta al portal está bloqueado');

  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, `/equipo/clientes?q=${customer.cedula}`);
  await page.getByRole('link', { name: 'Julián Andrés Mora' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByText('Desbloquear acceso al portal').click();
  await page.getByLabel('Motivo del desbloqueo').fill('Identidad confirmada por teléfono');
  await page.getByRole('button', { name: 'Desbloquear acceso' }).click();
  await expect(page.getByRole('status')).toContainText('habilitado de nuevo');
  await signOut(page);
  await signIn(page, customer.cedula, 'clave-segura-1');
  await expect(page).toHaveURL(/\/portal$/);
});
