import { test, expect, open, signIn, registerCustomer } from './fixtures';
import type { Browser } from '@playwright/test';

// Issue 5, the catalogue page (/equipo/catalogo): a supervisor keeps the categories, their
// subcategories, the causes and the areas; what she creates is offered to the customer
// filing on a phone and to the agent typifying, and what she deactivates no longer is.
// Named to run after equipo.spec.ts: the request filed here passes through "Sin asignar"
// (the agent takes it, so the later specs find the queue as they expect).

/** Another person in their own browser context, failing the test on their console errors. */
async function person(browser: Browser, mobile: boolean) {
  const context = await browser.newContext({
    locale: 'es-CO',
    timezoneId: 'America/Bogota',
    ...(mobile ? { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true } : {}),
  });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(msg.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  return { page, errors, close: () => context.close() };
}

test.use({ expectedHttpErrors: [409, 422] });

test('la supervisora arma el catálogo; el cliente y la asesora lo usan; lo desactivado ya no se ofrece', async ({
  page,
  browser,
}) => {
  const stamp = `${Date.now()}`.slice(-6);
  const area = `Logística inversa ${stamp}`;
  const category = `Devoluciones ${stamp}`;
  const subcategory = 'Producto dañado en el transporte';
  const cause = `Embalaje deficiente ${stamp}`;

  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Catálogo' }).click();
  await expect(page).toHaveURL(/\/equipo\/catalogo$/);
  await expect(page.getByRole('heading', { name: 'Catálogo de solicitudes' })).toBeVisible();
  // Where the effective close of issue 20 is defined for the people who answer.
  await expect(page.getByRole('region', { name: 'Cierre efectivo' })).toContainText('Un cierre es efectivo si la respuesta fue «Solucionada» o «No procede»');
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  // An area, with the especialista who answers for it.
  await page.getByLabel('Nueva área').fill(area);
  await page.getByRole('button', { name: 'Crear área' }).click();
  const areaCard = page.locator('li.catalogue-area', { hasText: area });
  await expect(areaCard).toBeVisible();
  await areaCard.getByLabel(`Agregar miembro a ${area}`).selectOption({ label: 'Elena Especialista — Especialista' });
  await areaCard.getByRole('button', { name: 'Agregar' }).click();
  await expect(areaCard.locator('.members')).toContainText('Elena Especialista — Especialista');

  // A category that escalates to it. A blank name is refused in words.
  await page.getByText('Nueva categoría', { exact: true }).click();
  await page.getByLabel('Nombre de la categoría').fill('   ');
  await page.getByRole('button', { name: 'Crear categoría' }).click();
  await expect(page.getByRole('alert')).toHaveText('Escriba el nombre de la categoría.');
  await page.getByLabel('Nombre de la categoría').fill(category);
  await page.getByLabel(/Descripción para el cliente/).fill('Devolver o cambiar un producto recibido');
  await page.getByLabel('Área a la que se escala').selectOption({ label: area });
  await page.getByRole('button', { name: 'Crear categoría' }).click();
  const card = page.locator('li.catalogue-category', { hasText: category });
  await expect(card).toContainText(`Escala a ${area}`);

  // The same name again, in other capitals: refused, naming the existing one. The form
  // stays open and empty for the next category.
  await expect(page.locator('details.catalogue-new')).toHaveAttribute('open', '');
  await expect(page.getByLabel('Nombre de la categoría')).toHaveValue('');
  await page.getByLabel('Nombre de la categoría').fill(category.toUpperCase());
  await page.getByRole('button', { name: 'Crear categoría' }).click();
  await expect(page.getByRole('alert')).toHaveText(`Ya existe una categoría llamada «${category}».`);

  // Its subcategory, and a cause.
  await card.getByLabel(`Nueva subcategoría de ${category}`).fill(subcategory);
  await card.getByRole('button', { name: 'Agregar' }).click();
  await expect(card.locator('.catalogue-entries')).toContainText(subcategory);
  const causeForm = page.locator('form', { has: page.getByLabel('Nueva causa') });
  await causeForm.getByLabel('Nueva causa').fill(cause);
  await causeForm.getByRole('button', { name: 'Agregar' }).click();
  await expect(page.locator('.catalogue-entries li', { hasText: cause })).toBeVisible();

  // New categories go last; one step up puts it before the one above.
  const names = page.locator('li.catalogue-category > .entry .name');
  const before = await names.allInnerTexts();
  expect(before[before.length - 1]).toBe(category);
  await page.getByRole('button', { name: `Subir ${category}` }).click();
  await expect(names.nth(before.length - 2)).toHaveText(category);
  await expect(names.nth(before.length - 1)).toHaveText(before[before.length - 2]);

  // A customer on a phone files under the new category.
  const customer = await person(browser, true);
  await registerCustomer(customer.page, 'Camila Duarte');
  await open(customer.page, '/portal/nueva');
  const categories = customer.page.getByLabel('Categoría');
  await expect(categories.locator('option', { hasText: category })).toHaveCount(1);
  await customer.page.getByLabel('Tipo de solicitud').selectOption('reclamo');
  await categories.selectOption({ label: category });
  await customer.page.getByLabel('Asunto').fill('Llegó roto el pedido');
  await customer.page.getByLabel('Descripción').fill('La caja llegó aplastada y el producto está roto.');
  await customer.page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(customer.page).toHaveURL(/\/portal\/solicitudes\/\d{4}-\d{6}\?radicada=1$/);
  const radicado = customer.page.url().match(/(\d{4}-\d{6})/)![1];
  await expect(customer.page.locator('body')).toContainText(category);

  // The agent takes it and typifies it with the new subcategory and cause.
  const agent = await person(browser, false);
  await signIn(agent.page, 'asesor@demo.ventanilla.co');
  await expect(agent.page).toHaveURL(/\/equipo$/);
  await open(agent.page, `/equipo/solicitudes/${radicado}`);
  await agent.page.getByLabel('Acción').selectOption({ label: 'Tomar' });
  await agent.page.getByRole('button', { name: 'Aplicar' }).click();
  await expect(agent.page.locator('.state')).toHaveText('En gestión');
  await expect(agent.page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await agent.page.getByText('Tipificar', { exact: true }).click();
  await agent.page.locator('select[name="category_id"]').selectOption({ label: category });
  await agent.page.locator('select[name="subcategory_id"]').selectOption({ label: subcategory });
  await agent.page.locator('select[name="cause_id"]').selectOption({ label: cause });
  await agent.page.getByRole('button', { name: 'Guardar tipificación' }).click();
  const typification = `Tipificación: ${category} › ${subcategory} · Causa: ${cause}`;
  await expect(agent.page.locator('.typification')).toHaveText(typification);
  // Escalating proposes the area the category escalates to.
  await expect(agent.page.locator('.matrix-area')).toHaveText(`Área de la categoría: ${area}`);
  await expect(agent.page.locator('select[name="area_id"]')).toHaveValue(
    await agent.page.locator('select[name="area_id"] option', { hasText: area }).getAttribute('value') ?? '',
  );

  // The supervisor deactivates the category and the cause.
  await page.getByRole('button', { name: `Desactivar ${category}` }).click();
  await expect(card.locator('.state')).toHaveText('Inactiva');
  await page.getByRole('button', { name: `Desactivar ${cause}` }).click();
  await expect(page.getByRole('button', { name: `Activar ${cause}` })).toBeVisible();

  // New filings no longer offer it…
  await open(customer.page, '/portal/nueva');
  await expect(customer.page.getByLabel('Categoría').locator('option')).not.toHaveCount(1);
  await expect(customer.page.getByLabel('Categoría').locator('option', { hasText: category })).toHaveCount(0);
  // …nor does typifying; the request filed under it keeps its names.
  await open(agent.page, `/equipo/solicitudes/${radicado}`);
  await expect(agent.page.locator('.typification')).toHaveText(typification);
  await expect(agent.page.locator('select[name="category_id"] option', { hasText: category })).toHaveCount(0);
  await expect(agent.page.locator('select[name="cause_id"] option', { hasText: cause })).toHaveCount(0);
  await open(customer.page, `/portal/solicitudes/${radicado}`);
  await expect(customer.page.locator('body')).toContainText(category);

  expect(customer.errors, 'errores en la consola del cliente').toEqual([]);
  expect(agent.errors, 'errores en la consola de la asesora').toEqual([]);
  await customer.close();
  await agent.close();
});
