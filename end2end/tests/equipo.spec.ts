import { test, expect, open, signIn, signOut } from './fixtures';

test('una asesora ve sus colas en orden de prioridad y llegada, con los tiempos corriendo', async ({ page }) => {
  // Business time only passes in business hours: pin the browser to a Wednesday 10:00 in
  // Bogotá so the test does not depend on when it runs, and move time forward by hand.
  await page.clock.install({ time: new Date('2026-11-25T10:00:00-05:00') });
  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await expect(page.getByRole('heading', { name: 'Espacio de trabajo' })).toBeVisible();
  const queues = page.getByRole('navigation', { name: 'Colas' });
  await expect(queues.getByRole('link', { name: /^Sin asignar \d+$/ })).toHaveAttribute('aria-current', 'page');
  await expect(queues.getByRole('link', { name: 'Todas' })).toHaveCount(0);
  const rows = page.locator('table.queue tbody tr');
  await expect(rows).toHaveCount(5);
  // Seed 000 §8: priority first (the VIP's Alta), then order of receipt.
  await expect(rows.first()).toContainText('Transportes Andinos');
  await expect(page.getByText('Sin garantía de ANS').first()).toBeVisible();

  // The timers run in the browser with the domain's clocks: they leave the static render
  // and tick.
  await expect(page.locator('.timer-pending')).toHaveCount(0);
  const legal = rows.first().locator('.timer').last();
  await expect(legal).toHaveClass(/timer-(on_track|at_risk|breached)/);
  const before = await legal.locator('.left').innerText();
  await page.clock.runFor(3_000);
  await expect(legal.locator('.left')).not.toHaveText(before);

  // Search narrows the queue and lives in the address.
  await page.getByLabel('Buscar').fill('Andinos');
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page).toHaveURL(/q=Andinos/);
  await expect(rows).toHaveCount(1);
  await expect(page.getByRole('link', { name: 'Usuarios' })).toHaveCount(0);
  await signOut(page);
});

test('el administrador crea un usuario del equipo que luego ingresa', async ({ page }) => {
  const email = `especialista${Date.now()}@demo.ventanilla.co`;
  await signIn(page, 'admin@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await expect(page.getByRole('heading', { name: 'Usuarios del equipo' })).toBeVisible();
  await page.getByLabel('Nombre completo').fill('Julián Especialista');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Rol').selectOption('especialista');
  await page.getByLabel('Contraseña inicial (8 a 128 caracteres)').fill('clave-inicial-1');
  await page.getByRole('button', { name: 'Crear usuario' }).click();
  await expect(page.getByRole('cell', { name: email })).toBeVisible();
  await signOut(page);

  await signIn(page, email, 'clave-inicial-1');
  await expect(page).toHaveURL(/\/equipo$/);
  // The header names who signed in (the queue's agent filter lists the name too).
  await expect(page.locator('.who')).toContainText('Julián Especialista');
});

test('el perfil se actualiza', async ({ page }) => {
  await signIn(page, 'flotante@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole('link', { name: 'Mi perfil' }).click();
  await expect(page.getByRole('heading', { name: 'Mi perfil' })).toBeVisible();
  // The form arrives with the profile; edit it once the page is hydrated and loaded.
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByLabel('Dirección')).not.toHaveValue('');
  await page.getByLabel('Dirección').fill('Avenida Boyacá # 80-20, Bogotá');
  await page.getByRole('button', { name: 'Guardar cambios' }).click();
  await expect(page.getByRole('status')).toHaveText('Sus datos quedaron actualizados.');
  await open(page, '/perfil');
  await expect(page.getByLabel('Dirección')).toHaveValue('Avenida Boyacá # 80-20, Bogotá');
});

test.describe('una contraseña equivocada', () => {
  test.use({ expectedHttpErrors: [422] });

  test('muestra un mensaje claro', async ({ page }) => {
    await signIn(page, 'asesor@demo.ventanilla.co', 'no-es-la-clave');
    await expect(page.getByRole('alert')).toHaveText('Documento, correo o contraseña incorrectos.');
    await expect(page).toHaveURL(/\/ingresar$/);
  });
});

test.describe('un cliente en el espacio de trabajo', () => {
  test.use({ expectedHttpErrors: [403] });

  test('recibe una negativa y ningún dato', async ({ page }) => {
    await signIn(page, 'vip@demo.ventanilla.co');
    await expect(page).toHaveURL(/\/portal$/);
    await open(page, '/equipo');
    await expect(page.getByRole('alert')).toHaveText('No tiene permiso para realizar esta acción.');
    await expect(page.locator('table.queue')).toHaveCount(0);
  });
});

test.describe('una dirección inexistente', () => {
  test.use({ expectedHttpErrors: [404] });

  test('muestra la página 404', async ({ page }) => {
    const response = await page.goto('/no-existe');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { name: 'Página no encontrada' })).toBeVisible();
  });
});

test('una asesora toma y responde; el cliente ve la respuesta y cierra', async ({ page }) => {
  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  const row = page.getByRole('row', { name: /Transportes Andinos/ });
  const radicado = (await row.locator('td.radicado').innerText()).trim();
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(radicado);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  await page.getByLabel('Acción').selectOption({ label: 'Tomar' });
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.locator('.state')).toHaveText('En gestión');
  await expect(page.getByText('Asignada a: Andrés Asesor')).toBeVisible();

  await page.getByText('Cambiar prioridad', { exact: true }).first().click();
  await page.getByLabel('Nueva prioridad').selectOption({ label: 'Media' });
  await page.getByLabel('Motivo').fill('El cobro ya fue identificado, no es urgente.');
  await page.getByRole('button', { name: 'Cambiar prioridad' }).click();
  await expect(page.locator('.thread')).toContainText('Prioridad Alta → Media: El cobro ya fue identificado');
  await expect(page.locator('.history')).toContainText('Prioridad Alta → Media');

  await page.getByLabel('Acción').selectOption({ label: 'Nota interna' });
  await page.getByLabel(/Mensaje/).fill('Confirmar con Facturación antes de responder.');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.locator('.message.internal').last()).toContainText('Confirmar con Facturación');
  // The note reloaded the page: type the answer once it is hydrated, or hydration empties it.
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  await page.getByLabel('Acción').selectOption({ label: 'Enviar respuesta' });
  // What the answer did feeds the effective-close indicator (issue 20).
  await page.getByLabel('Resultado (solo para la respuesta)').selectOption({ label: 'Solucionada' });
  await page.getByLabel(/Mensaje/).fill('Reversamos el cobro doble; verá el ajuste en su próxima factura.');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.locator('.state')).toHaveText('Respondida');
  await signOut(page);

  await signIn(page, 'vip@demo.ventanilla.co');
  await page.getByRole('link', { name: radicado }).click();
  await expect(page.locator('.thread')).toContainText('Reversamos el cobro doble');
  await expect(page.locator('.thread')).not.toContainText('Confirmar con Facturación');
  await expect(page.getByText('Revise la respuesta')).toBeVisible();
  await page.getByText('Cerrar solicitud').click();
  await page.getByRole('button', { name: 'Sí, cerrar definitivamente' }).click();
  await expect(page.locator('.state')).toHaveText('Cerrada');
  await expect(page.getByRole('link', { name: 'Nueva solicitud relacionada' })).toBeVisible();
});

test('la supervisora asigna, la asesora escala y la especialista responde desde Mi área', async ({ page }) => {
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  const row = page.getByRole('row', { name: /Lucía Gómez/ });
  const radicado = (await row.locator('td.radicado').innerText()).trim();
  await row.getByRole('link').click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Acción').selectOption({ label: 'Asignar' });
  await page.getByLabel('Asesor (solo para asignar)').selectOption({ label: 'Andrés Asesor' });
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.getByText('Asignada a: Andrés Asesor')).toBeVisible();
  await signOut(page);

  await signIn(page, 'asesor@demo.ventanilla.co');
  await page.getByRole('link', { name: /^Mis solicitudes \d+$/ }).click();
  await page.getByRole('link', { name: radicado }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Acción').selectOption({ label: 'Escalar' });
  await page.getByLabel('Área (solo para escalar)').selectOption({ label: 'Jurídica' });
  await page.getByLabel(/Mensaje/).fill('Validar si procede la devolución por contrato.');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.locator('.state')).toHaveText('Escalada');
  await expect(page.getByText('Área: Jurídica')).toBeVisible();
  await signOut(page);

  await signIn(page, 'especialista@demo.ventanilla.co');
  await expect(page.getByRole('navigation', { name: 'Colas' }).getByRole('link', { name: /^Mi área 1$/ })).toBeVisible();
  await page.getByRole('link', { name: radicado }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.locator('.message.internal')).toContainText('Validar si procede');
  await page.getByLabel('Acción').selectOption({ label: 'Responder al asesor' });
  await page.getByLabel(/Mensaje/).fill('Procede: el contrato permite la devolución.');
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.locator('.state')).toHaveText('En gestión');
});
