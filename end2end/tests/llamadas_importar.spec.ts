import { test, expect, open, signIn } from './fixtures';

// Issue 20, seed 001 §5.3 "Atención oportuna de llamadas": the supervisor brings the
// switchboard's call records. A row with an outcome nobody understands blocks the file until
// it is skipped; the calls then appear in the list, linked to their agent, and the indicator
// card leads to them.

test('la supervisora importa los registros de la central y ve la atención oportuna', async ({ page }) => {
  const run = `${Date.now()}`;
  const file = [
    'uniqueid;calldate;src;dst;disposition;billsec',
    `e2e-${run}-1;2026-11-10 09:00:00;310${run.slice(-7)};asesor@demo.ventanilla.co;ANSWERED;125`,
    `e2e-${run}-2;2026-11-10 09:05:00;311${run.slice(-7)};;NO ANSWER;`,
    `e2e-${run}-3;2026-11-10 09:10:00;312${run.slice(-7)};201;TRANSFERIDA;40`,
  ].join('\n');

  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Llamadas' }).click();
  await expect(page).toHaveURL(/\/equipo\/llamadas$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Llamadas' })).toBeVisible();
  await page.getByRole('link', { name: 'Importar registros de la central' }).click();
  await expect(page).toHaveURL(/\/equipo\/llamadas\/importar$/);
  await page.getByLabel('Archivo de llamadas').setInputFiles({
    name: 'central.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(file, 'utf-8'),
  });
  await page.getByRole('button', { name: 'Cargar archivo' }).click();
  await expect(page).toHaveURL(/\/equipo\/llamadas\/importar\?archivo=[0-9a-f]+$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText('central.csv · CSV · 3 filas de datos')).toBeVisible();
  await expect(page.getByLabel('Resultado (atendida o abandonada) (obligatorio)')).toHaveValue('disposition');
  await expect(page.getByLabel('Agente (correo o extensión)')).toHaveValue('dst');

  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('alert')).toContainText('no se importó nada');
  await expect(page.locator('.import-errors')).toContainText('«TRANSFERIDA» no es Atendida ni Abandonada');

  await page.getByLabel('Omitir las filas con errores e importar las demás').check();
  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('status')).toContainText('Importación terminada: 2 llamadas nuevas, 0 ya registradas, 1 filas con errores omitidas.');

  await open(page, '/equipo/llamadas?desde=2026-11-10&hasta=2026-11-10');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const attended = page.getByRole('row').filter({ hasText: `310${run.slice(-7)}` });
  await expect(attended).toContainText('Atendida');
  await expect(attended).toContainText('2:05');
  await expect(attended).toContainText('Andrés Asesor');
  await expect(page.getByRole('row').filter({ hasText: `311${run.slice(-7)}` })).toContainText('Abandonada');
  await expect(page.locator('.calls-summary')).toContainText('atendidas');

  await open(page, '/equipo/indicadores?desde=2026-11-10&hasta=2026-11-10');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const card = page.getByRole('article', { name: 'Atención oportuna de llamadas' });
  await expect(card).toContainText('Meta: 90 %');
  await card.getByRole('link', { name: 'Ver las llamadas' }).click();
  await expect(page).toHaveURL(/\/equipo\/llamadas\?desde=2026-11-10&hasta=2026-11-10$/);
  await expect(page.getByRole('row').filter({ hasText: `310${run.slice(-7)}` })).toBeVisible();
});
