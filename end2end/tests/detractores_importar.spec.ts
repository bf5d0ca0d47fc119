import { test, expect, open, signIn } from './fixtures';

// Seed 003 §4 steps 1–2 at a desk: the supervisor brings the day's base from the client's BI
// tool, maps its columns over a preview, sees that a bad row blocks the whole file, downloads
// the error report, skips the bad row explicitly, and finds the new cases in the desk. The
// same base again creates nothing new.

const base = [
  'Id Encuesta;Cuenta;Nombre Cliente;ANI;Segmento;NPS;Comentario',
  'PW-1;5501;Rosa Importada;3001112233;Hogar;2;Nunca llegó el técnico',
  'PW-2;5502;Tomás Importado;3004445566;Móvil;0;Cobro doble',
  'PW-3;5503;Promotor Feliz;3007778899;Hogar;10;Todo bien',
].join('\n');

async function upload(page: import('@playwright/test').Page) {
  await open(page, '/equipo/detractores/importar');
  await page.getByLabel('Archivo de la base').setInputFiles({
    name: 'data.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(base, 'utf-8'),
  });
  await page.getByRole('button', { name: 'Cargar archivo' }).click();
  await expect(page).toHaveURL(/\/equipo\/detractores\/importar\?archivo=[0-9a-f]+$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

test('el supervisor importa una base de detractores con mapeo, errores y sin replicar', async ({ page }) => {
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, '/equipo/detractores');
  await page.getByRole('link', { name: 'Importar base' }).click();
  await expect(page).toHaveURL(/\/equipo\/detractores\/importar$/);

  await upload(page);
  await expect(page.getByText('data.csv · CSV · 3 filas de datos')).toBeVisible();
  await expect(page.locator('.import-preview')).toContainText('Tomás Importado');
  // The columns were recognized by their headers.
  await expect(page.getByLabel('Cuenta (custcode) (obligatorio)')).toHaveValue('Cuenta');
  await expect(page.getByLabel('Teléfono (ANI) (obligatorio)')).toHaveValue('ANI');

  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('alert')).toContainText('no se importó nada');
  await expect(page.locator('.import-errors')).toContainText('NPS 10 no es de un detractor');
  const report = page.getByRole('link', { name: 'Descargar el reporte de errores' });
  await expect(report).toHaveAttribute('href', /^data:text\/csv/);
  await expect(report).toHaveAttribute('download', 'errores-importacion.csv');

  await page.getByLabel('Omitir las filas con errores e importar las demás').check();
  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('status')).toContainText('2 casos nuevos');

  await page.getByRole('link', { name: 'Ir a la bandeja de detractores' }).click();
  await expect(page).toHaveURL(/\/equipo\/detractores$/);
  const row = page.locator('tr', { hasText: 'Rosa Importada' });
  await expect(row).toContainText('Cuenta 5501');
  await expect(row).toContainText('Nunca llegó el técnico');

  // The next cut brings the same records: nothing is replicated.
  await upload(page);
  await page.getByLabel('Omitir las filas con errores e importar las demás').check();
  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('status')).toContainText('0 casos nuevos, 2 ya gestionados');
  await open(page, '/equipo/detractores');
  await expect(page.locator('tr', { hasText: 'Rosa Importada' })).toHaveCount(1);
});
