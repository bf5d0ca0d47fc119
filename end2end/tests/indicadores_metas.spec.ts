import { test, expect, signIn } from './fixtures';

// Issue 20, seed 001 §5.3: each indicator has a goal and a responsible. The admin changes the
// goal of the legal-term indicator and names who answers for it; a goal above 100 % is refused
// in words and changes nothing; the card then compares with the new goal. The test puts the
// seed's goal back for the files that follow.
test.use({ expectedHttpErrors: [422] });

test('el administrador fija la meta y el responsable de un indicador', async ({ page }) => {
  await signIn(page, 'admin@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Indicadores' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByRole('link', { name: 'Metas y responsables' }).click();
  await expect(page).toHaveURL(/\/equipo\/indicadores\/metas$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Metas y responsables de los indicadores' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  const goal = page.getByLabel('Respuesta dentro del término legal: meta (%)');
  const owner = page.getByLabel('Respuesta dentro del término legal: responsable');
  await expect(goal).toHaveValue('100');
  await goal.fill('150');
  await owner.fill('Jefatura de servicio al cliente');
  await page.getByRole('button', { name: 'Guardar metas' }).click();
  await expect(page.getByRole('alert')).toContainText('la meta es un porcentaje entre 0 y 100');

  await goal.fill('95,5');
  await page.getByRole('button', { name: 'Guardar metas' }).click();
  await expect(page.getByRole('status')).toContainText('Se guardó el cambio de 1 indicador');
  await expect(page.getByRole('row', { name: /Respuesta dentro del término legal/ })).toContainText('Alberto Administrador');

  await page.getByRole('link', { name: '← Indicadores' }).click();
  const legal = page.getByRole('article', { name: 'Respuesta dentro del término legal' });
  await expect(legal).toContainText('Meta: 95,5 %');
  await expect(legal).toContainText('Responsable: Jefatura de servicio al cliente');

  // The seed's goal again, and nobody named.
  await page.getByRole('link', { name: 'Metas y responsables' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Respuesta dentro del término legal: meta (%)').fill('100');
  await page.getByLabel('Respuesta dentro del término legal: responsable').fill('');
  await page.getByRole('button', { name: 'Guardar metas' }).click();
  await expect(page.getByRole('status')).toContainText('Se guardó el cambio de 1 indicador');
});
