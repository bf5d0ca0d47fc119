// An admin switches a staff member's access off and on, and sends them a password link
// (seed 001 §5.1 "asignación / bloqueo de usuarios").
import { test, expect, signIn, signOut } from './fixtures';

test.use({ expectedHttpErrors: [422] });

test('el administrador desactiva el acceso de una analista de calidad, que ya no puede entrar, y lo reactiva', async ({ page }) => {
  const email = `lucia${Date.now()}@demo.ventanilla.co`;
  await signIn(page, 'admin@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Nombre completo').fill('Lucía Calidad');
  await page.getByLabel('Correo electrónico').fill(email);
  // Calidad, not asesor: the recovery desk of later tests assigns its cases among asesores.
  await page.getByLabel('Rol').selectOption('calidad');
  await page.getByLabel('Contraseña inicial (8 a 128 caracteres)').fill('clave-inicial-1');
  await page.getByRole('button', { name: 'Crear usuario' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Activo');

  // A link to choose her own password goes out by e-mail.
  await row.getByText('Desactivar o enviar enlace').click();
  await row.getByRole('button', { name: 'Enviar enlace de contraseña a Lucía Calidad' }).click();
  await expect(page.getByRole('status')).toContainText(`Enviamos a ${email} un enlace`);

  // Switched off, with the reason.
  await row.getByLabel('Motivo de la desactivación').fill('Terminó su contrato');
  await row.getByRole('button', { name: 'Desactivar acceso de Lucía Calidad' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Acceso desactivado' })).toBeVisible();
  await expect(row).toContainText('Inactivo');
  await signOut(page);

  await signIn(page, email, 'clave-inicial-1');
  await expect(page.getByRole('alert')).toContainText('Su acceso a Ventanilla está desactivado');
  await expect(page).toHaveURL(/\/ingresar/);

  await signIn(page, 'admin@demo.ventanilla.co');
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByRole('row').filter({ hasText: email }).getByRole('button', { name: 'Reactivar el acceso de Lucía Calidad' }).click();
  await expect(page.getByRole('row').filter({ hasText: email })).toContainText('Activo');
  await signOut(page);
  await signIn(page, email, 'clave-inicial-1');
  await expect(page).toHaveURL(/\/equipo$/);
});

// Seed 002 §4 sets a minimum share of answers for quality review; a new person's answers can
// all go to review until the admin puts them back on the ANS's share.
test('el administrador envía a revisión todas las respuestas de una persona nueva y la devuelve a la muestra', async ({ page }) => {
  const email = `sofia${Date.now()}@demo.ventanilla.co`;
  await signIn(page, 'admin@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Usuarios' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Nombre completo').fill('Sofía Nueva');
  await page.getByLabel('Correo electrónico').fill(email);
  // Supervisor, not asesor: the recovery desk of later tests assigns its cases among asesores.
  await page.getByLabel('Rol').selectOption('supervisor');
  await page.getByLabel('Contraseña inicial (8 a 128 caracteres)').fill('clave-inicial-1');
  await page.getByRole('button', { name: 'Crear usuario' }).click();
  const row = page.getByRole('row').filter({ hasText: email });
  await expect(row).toContainText('Muestra del ANS');

  await row.getByRole('button', { name: 'Revisar todas las respuestas de Sofía Nueva' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Todas las respuestas de Sofía Nueva irán a revisión de calidad.' })).toBeVisible();
  await expect(row).toContainText('Todas sus respuestas');

  await row.getByRole('button', { name: 'Volver a la muestra del ANS para Sofía Nueva' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'vuelven a la muestra de revisión del ANS' })).toBeVisible();
  await expect(row).toContainText('Muestra del ANS');
});
