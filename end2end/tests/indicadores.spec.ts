import { test, expect, open, signIn } from './fixtures';

// Issue 20: the head of customer service reads the month's indicators — each card with its
// figure, goal and formula in words — changes the period, narrows the figures by type and
// channel, and a wrong period is refused in words.
test.use({ expectedHttpErrors: [422] });

test('la supervisora consulta los indicadores del mes y cambia el periodo', async ({ page }) => {
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Indicadores' }).click();
  await expect(page).toHaveURL(/\/equipo\/indicadores$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Indicadores' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  const received = page.getByRole('article', { name: 'Solicitudes recibidas' });
  await expect(received.locator('.indicator-value')).toHaveText(/^\d+$/);
  await expect(page.getByRole('article', { name: 'Cierre efectivo de PQR' })).toContainText('Meta: 97 %');
  const legal = page.getByRole('article', { name: 'Respuesta dentro del término legal' });
  await expect(legal).toContainText('Meta: 100 %');
  await legal.getByText('Cómo se calcula').click();
  await expect(legal).toContainText('con suspensiones y prórroga');
  await expect(legal).toContainText('Ley 1755 de 2015');

  // Every request figure drills down to the requests behind it. The demo's requests are of
  // the last days: a period of the last 60 days holds them whatever today is.
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  await open(page, `/equipo/indicadores?desde=${day(-60)}&hasta=${day(0)}`);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await received.getByRole('link', { name: /^Ver las \d+ solicitudes$/ }).click();
  await expect(page).toHaveURL(/\/equipo\/indicadores\/detalle\?clave=received&parte=numerador/);
  await expect(page.getByRole('heading', { level: 1, name: 'Solicitudes recibidas: cumplen' })).toBeVisible();
  const first = page.locator('.indicator-requests tbody tr').first().getByRole('link');
  const radicado = (await first.innerText()).trim();
  await first.click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(radicado);
  await page.goBack();
  await page.getByRole('link', { name: '← Indicadores' }).click();
  await expect(page).toHaveURL(/\/equipo\/indicadores\?desde=/);
  // The survey figures list the requests their answers were about.
  const csat = page.getByRole('article', { name: 'Satisfacción (CSAT)' });
  await csat.getByRole('link', { name: /^Ver la base \(\d+\)$/ }).click();
  await expect(page).toHaveURL(/clave=csat&parte=base/);
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Satisfacción (CSAT)');
  await page.goBack();
  await expect(page).toHaveURL(/\/equipo\/indicadores\?desde=/);

  // A period with no requests: the ratios say so instead of showing a number.
  await page.getByLabel('Desde').fill('2020-01-01');
  await page.getByLabel('Hasta').fill('2020-01-31');
  await page.getByRole('button', { name: 'Ver periodo' }).click();
  await expect(page).toHaveURL(/desde=2020-01-01&hasta=2020-01-31/);
  await expect(page.getByText('Periodo del 2020-01-01 al 2020-01-31')).toBeVisible();
  await expect(legal.locator('.indicator-value')).toHaveText('Sin datos');
  await expect(received.locator('.indicator-value')).toHaveText('0');

  // The usual periods are one click away.
  await page.getByRole('navigation', { name: 'Periodos' }).getByRole('link', { name: 'Este año' }).click();
  await expect(page).toHaveURL(/desde=\d{4}-01-01&hasta=/);
  await expect(page.getByRole('link', { name: 'Este año' })).toHaveAttribute('aria-current', 'page');

  // Filters narrow every figure, travel with the presets and the drill-down, and come off.
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const all = Number(await received.locator('.indicator-value').innerText());
  await page.getByRole('combobox', { name: 'Tipo', exact: true }).selectOption('reclamo');
  await page.getByRole('combobox', { name: 'Canal', exact: true }).selectOption('portal');
  await page.getByRole('button', { name: 'Ver periodo' }).click();
  await expect(page).toHaveURL(/tipo=reclamo&.*canal=portal/);
  await expect(page.getByText('Cifras filtradas')).toBeVisible();
  await expect(page.getByRole('combobox', { name: 'Tipo', exact: true })).toHaveValue('reclamo');
  const reclamos = Number(await received.locator('.indicator-value').innerText());
  expect(reclamos).toBeLessThanOrEqual(all);
  await expect(page.getByRole('navigation', { name: 'Periodos' }).getByRole('link', { name: 'Este mes' }))
    .toHaveAttribute('href', /tipo=reclamo&canal=portal$/);
  await expect(received.getByRole('link', { name: /^Ver las \d+ solicitudes$/ }))
    .toHaveAttribute('href', /tipo=reclamo&canal=portal$/);
  await page.getByRole('link', { name: 'Quitar los filtros' }).click();
  await expect(page).not.toHaveURL(/tipo=/);
  await expect(page.getByText('Cifras filtradas')).toHaveCount(0);

  // Dates the wrong way round are refused in words.
  await open(page, '/equipo/indicadores?desde=2026-11-30&hasta=2026-11-01');
  await expect(page.getByRole('alert')).toContainText('La fecha inicial es posterior a la fecha final');
});

// Issue 20, seed 001 act. 5 and seed 002 §5.2.23–27: the monthly report as a printable page
// with the organization's name and NIT, the time to first response by tier and priority,
// the volumes by type, channel, category, tier and area, and the workbook to download.
test('la supervisora abre el informe mensual, lo imprime y descarga el libro XLSX', async ({ page }) => {
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, '/equipo/indicadores');
  await expect(page.getByRole('heading', { level: 2, name: 'Tiempo de primera respuesta' })).toBeVisible();
  await page.getByRole('link', { name: 'Informe mensual' }).click();
  await expect(page).toHaveURL(/\/equipo\/indicadores\/informe$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  // The demo's requests are of the last days: this month holds them.
  const month = new Date(Date.now() - 5 * 3600_000).toISOString().slice(0, 7);
  await page.getByLabel('Mes', { exact: true }).fill(month);
  await page.getByRole('button', { name: 'Ver informe' }).click();
  await expect(page).toHaveURL(new RegExp(`mes=${month}`));
  await expect(page.getByRole('heading', { level: 1 })).toContainText('Informe mensual de PQRS');
  await expect(page.locator('.report-header')).toContainText('NIT');
  await expect(page.getByRole('heading', { level: 2, name: 'Por tipo de solicitud' })).toBeVisible();
  await expect(page.getByRole('img', { name: 'Solicitudes recibidas por mes' })).toBeVisible();
  const byType = page.locator('table', { has: page.getByRole('columnheader', { name: 'Abiertas al cierre' }) }).first();
  await expect(byType.locator('tbody tr').first()).toContainText(/\d/);

  // Printed, the links and the month form stay off the paper.
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByRole('link', { name: 'Descargar XLSX' })).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  await page.emulateMedia({ media: 'screen' });

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Descargar XLSX' }).click();
  expect((await download).suggestedFilename()).toBe(`informe-pqrs-${month}.xlsx`);

  // A month that has not begun is refused in words.
  await open(page, '/equipo/indicadores/informe?mes=2999-01');
  await expect(page.getByRole('alert')).toContainText('Ese mes aún no empieza');
});
