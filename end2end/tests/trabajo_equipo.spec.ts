// Runs after equipo.spec.ts (files run in name order on one server): it takes demo requests
// out of "Sin asignar", whose count that spec checks.
import { test, expect, signIn, signOut } from './fixtures';

const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

test('la asesora adjunta un archivo a su seguimiento y el cliente lo descarga', async ({ page }) => {
  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  const row = page.getByRole('row', { name: /Ana María Rojas/ });
  const radicado = (await row.locator('td.radicado').innerText()).trim();
  await row.getByRole('link').click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  await page.getByLabel('Acción').selectOption({ label: 'Tomar' });
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.locator('.state')).toHaveText('En gestión');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  await page.getByLabel('Acción').selectOption({ label: 'Enviar seguimiento' });
  await page.getByLabel(/Mensaje/).fill('Le compartimos el calendario de recolecciones propuesto.');
  await page.getByLabel('Adjuntos (opcional, con el mensaje)').setInputFiles({
    name: 'calendario-recolecciones.pdf',
    mimeType: 'application/pdf',
    buffer: PDF,
  });
  await page.getByRole('button', { name: 'Aplicar' }).click();
  const sent = page.locator('.message.staff').last();
  await expect(sent).toContainText('calendario de recolecciones propuesto');
  await expect(sent.getByRole('link', { name: 'calendario-recolecciones.pdf' })).toBeVisible();
  await signOut(page);

  await signIn(page, 'regular@demo.ventanilla.co');
  await page.getByRole('link', { name: radicado }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const link = page.locator('.thread').getByRole('link', { name: 'calendario-recolecciones.pdf' });
  await expect(link).toBeVisible();
  const download = page.waitForEvent('download');
  await link.click();
  expect((await download).suggestedFilename()).toBe('calendario-recolecciones.pdf');
});

test('la asesora tipifica y prorroga el término; la nueva fecha legal se ve', async ({ page }) => {
  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  const row = page.getByRole('row', { name: /Carlos Pérez/ });
  await row.getByRole('link').click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Acción').selectOption({ label: 'Tomar' });
  await page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(page.locator('.state')).toHaveText('En gestión');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  await page.getByText('Tipificar', { exact: true }).click();
  await page.locator('select[name="category_id"]').selectOption({ label: 'Programación de recolecciones' });
  await page.locator('select[name="subcategory_id"]').selectOption({ label: 'Recolección no realizada' });
  await page.locator('select[name="cause_id"]').selectOption({ label: 'Incumplimiento del transportador aliado' });
  await page.getByRole('button', { name: 'Guardar tipificación' }).click();
  await expect(page.locator('.typification')).toHaveText(
    'Tipificación: Programación de recolecciones › Recolección no realizada · Causa: Incumplimiento del transportador aliado',
  );

  const legal = page.locator('.clock', { hasText: 'término legal' });
  const before = await legal.innerText();
  await page.getByText('Prorrogar el término legal', { exact: true }).click();
  await page.getByLabel('Razones de la demora (el cliente las recibe)').fill('Esperamos el informe del transportador aliado.');
  await page.getByRole('button', { name: 'Declarar prórroga' }).click();
  const extension = page.locator('.extension');
  await expect(extension).toContainText('Término prorrogado');
  const newDate = /hasta el (\d{4}-\d{2}-\d{2})/.exec(await extension.innerText())![1];
  await expect(legal).toContainText(newDate);
  expect(await legal.innerText()).not.toBe(before);
  await expect(page.locator('.history')).toContainText('Prórroga del término legal');
  await expect(page.locator('.thread')).toContainText('Prórroga del término de respuesta');
  // Once only: the form is gone.
  await expect(page.getByText('Prorrogar el término legal', { exact: true })).toHaveCount(0);

  // The queue filters by the typification and by who has it; the filters live in the address.
  await page.goto('/equipo?cola=mias');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const mine = page.getByRole('navigation', { name: 'Colas' }).getByRole('link', { name: /^Mis solicitudes \d+$/ });
  const count = await mine.innerText();
  await page.getByLabel(/^Categoría/).selectOption({ label: 'Programación de recolecciones' });
  await page.getByLabel(/^Subcategoría/).selectOption({ label: 'Programación de recolecciones › Recolección no realizada' });
  await page.getByLabel(/^Asignada a/).selectOption({ label: 'Andrés Asesor' });
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page).toHaveURL(/categoria=[0-9a-f]+/);
  await expect(page).toHaveURL(/subcategoria=[0-9a-f]+/);
  await expect(page).toHaveURL(/asesor=[0-9a-f]+/);
  const rows = page.locator('table.queue tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('Carlos Pérez');
  // A reload keeps the filters chosen, and the queue's count is its size, not the filter's.
  await page.reload();
  await expect(page.getByLabel(/^Categoría/).locator('option:checked')).toHaveText('Programación de recolecciones');
  await expect(rows).toHaveCount(1);
  await expect(mine).toHaveText(count);
  await page.getByLabel(/^Categoría/).selectOption({ label: 'PQR' });
  await page.getByLabel(/^Subcategoría/).selectOption({ label: 'Todas' });
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page.getByText('No hay solicitudes en esta cola.')).toBeVisible();
  // Carlos Pérez's request was never escalated: no area has it.
  await page.getByLabel(/^Área/).selectOption({ label: 'Jurídica' });
  await page.getByLabel(/^Categoría/).selectOption({ label: 'Programación de recolecciones' });
  await page.getByRole('button', { name: 'Filtrar' }).click();
  await expect(page).toHaveURL(/area=[0-9a-f]+/);
  await expect(page.getByText('No hay solicitudes en esta cola.')).toBeVisible();
});
