// Least privilege on the request page (Ley 1581 art. 4 g and art. 17). Runs after
// trabajo_equipo.spec.ts (name order, one server): it uses a request Andrés took there.
import { test, expect, signIn, signOut, open } from './fixtures';

test('otra asesora solo lee la solicitud de un colega y la supervisora ve quién la abrió', async ({ page }) => {
  // The administrator adds a second asesora.
  const email = `beatriz${Date.now()}@demo.ventanilla.co`;
  await signIn(page, 'admin@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await page.getByLabel('Nombre completo').fill('Beatriz Asesora');
  await page.getByLabel('Correo electrónico').fill(email);
  await page.getByLabel('Rol').selectOption('asesor');
  await page.getByLabel('Contraseña inicial (8 a 128 caracteres)').fill('clave-inicial-1');
  await page.getByRole('button', { name: 'Crear usuario' }).click();
  await expect(page.getByRole('cell', { name: email })).toBeVisible();
  await signOut(page);

  // The supervisor finds a request Andrés holds.
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  const row = page.getByRole('row').filter({ hasText: 'Andrés Asesor' }).first();
  const radicado = (await row.locator('td.radicado').innerText()).trim();
  await signOut(page);

  // Beatriz reads it, and is told why she cannot act on it.
  await signIn(page, email, 'clave-inicial-1');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, `/equipo/solicitudes/${radicado}`);
  await expect(page.locator('.read-only')).toContainText('asignada a Andrés Asesor');
  await expect(page.locator('.read-only')).toContainText('pida al supervisor');
  await expect(page.getByRole('heading', { name: 'Actuar' })).toHaveCount(0);
  await expect(page.getByLabel('Acción')).toHaveCount(0);
  // The access log is the supervisor's, not hers.
  await expect(page.getByText(/Registro de accesos/)).toHaveCount(0);
  await signOut(page);

  // The supervisor sees who opened it.
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, `/equipo/solicitudes/${radicado}`);
  await page.getByText(/Registro de accesos \(\d+\)/).click();
  const log = page.locator('.access-log table');
  await expect(log.getByRole('row').filter({ hasText: 'Beatriz Asesora' })).toContainText('Abrió la solicitud');
  await expect(log.getByRole('row').filter({ hasText: 'Andrés Asesor' }).first()).toContainText('Asesor');
  await signOut(page);

  // Her access ends with the test: the recovery desk of later tests shares its cases among
  // the active asesores and expects Andrés alone.
  await signIn(page, 'admin@demo.ventanilla.co');
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const member = page.getByRole('row').filter({ hasText: email });
  await member.getByText('Desactivar o enviar enlace').click();
  await member.getByLabel('Motivo de la desactivación').fill('Reemplazo temporal terminado');
  await member.getByRole('button', { name: 'Desactivar acceso de Beatriz Asesora' }).click();
  await expect(member).toContainText('Inactivo');
});
