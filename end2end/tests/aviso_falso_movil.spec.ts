// A link with `?error=` words of someone else's choosing shows nothing on our page: only a
// message the server sealed is shown (issue 17, content spoofing).
import { test, expect, open } from './fixtures';

test('un enlace con un aviso inventado no muestra el aviso', async ({ page }) => {
  const forged = encodeURIComponent('Su cuenta fue suspendida: llame ya al 300 123 4567');
  await open(page, `/ingresar?error=${forged}`);
  await expect(page.getByRole('heading', { name: 'Ingresar' })).toBeVisible();
  await expect(page.getByText('llame ya al')).toHaveCount(0);
  await open(page, `/ingresar?error=${forged}&firma=${'0'.repeat(64)}`);
  await expect(page.getByText('llame ya al')).toHaveCount(0);
  await expect(page.getByRole('alert')).toHaveCount(0);
});
