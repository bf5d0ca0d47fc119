// Ley 1581 art. 14: a customer, on a phone, downloads all their data from their profile.
import * as fs from 'fs';
import { test, expect, registerCustomer, open } from './fixtures';

test('un cliente descarga todos sus datos desde su perfil', async ({ page }) => {
  const customer = await registerCustomer(page, 'Paola Andrea Gómez');
  await open(page, '/perfil');
  await expect(page.getByRole('heading', { name: 'Mis datos personales' })).toBeVisible();
  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Descargar mis datos (ZIP)' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('mis-datos-ventanilla.zip');
  const bytes = fs.readFileSync(await file.path());
  // A ZIP (stored entries keep names and JSON readable) with her data in it.
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  const text = bytes.toString('utf8');
  expect(text).toContain('datos.json');
  expect(text).toContain(customer.cedula);
  expect(text).toContain('Paola Andrea Gómez');
});
