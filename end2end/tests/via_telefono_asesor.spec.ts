import fs from 'node:fs';
import path from 'node:path';
import { test, expect, open, signIn, freshCustomer } from './fixtures';

const outbox = path.resolve(__dirname, '..', '..', 'target', 'e2e', 'outbox');
const PDF = Buffer.from('%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

/** An e-mail in the outbox folder whose text contains `text`. */
function mailed(text: string): boolean {
  return (
    fs.statSync(outbox, { throwIfNoEntry: false })?.isDirectory() === true &&
    fs
      .readdirSync(outbox)
      .filter((name) => name.endsWith('.eml'))
      .some((name) => fs.readFileSync(path.join(outbox, name), 'utf8').includes(text))
  );
}

// The first filing tries a disguised file on purpose: the server answers it with 422.
test.use({ expectedHttpErrors: [422] });

// Named to run after the specs that count the demo queues: these file new requests. They
// file only for customers they create, never for the demo customers others count.

test('un asesor crea la cuenta de quien llega en persona y luego le radica por teléfono', async ({ page }) => {
  const customer = freshCustomer();
  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Registrar solicitud' }).click();
  await expect(page.getByRole('heading', { name: 'Registrar solicitud a nombre de un cliente' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  // In person, without an account: the agent records her data and her consent.
  await page.getByLabel('Tipo de documento').selectOption('CC');
  await page.getByLabel('Número de documento').fill(customer.cedula);
  await page.getByRole('button', { name: 'Buscar cliente' }).click();
  await expect(page.getByText('No hay una cuenta con ese documento')).toBeVisible();
  await page.getByLabel('Nombre o razón social').fill('Rosa Elena Cárdenas');
  await page.getByRole('textbox', { name: 'Correo electrónico' }).fill(customer.email);
  await page.getByRole('combobox', { name: 'Canal' }).selectOption('presencial');
  await page.getByLabel('Tipo de solicitud').selectOption('peticion_general');
  await page.getByLabel('Asunto').fill('Solicita copia del contrato');
  await page.getByLabel('Descripción (lo que cuenta el cliente)').fill('Vino a la oficina a pedir copia de su contrato de servicio.');
  await page.getByLabel(/autorizó, por este canal/).check();
  // She hands over her ID as a PDF; a program named like a PDF is refused first, in Spanish,
  // and what was typed stays on the form.
  const files = page.getByLabel(/^Adjuntos/);
  await files.setInputFiles({ name: 'cedula.pdf', mimeType: 'application/pdf', buffer: Buffer.from('MZ\x90\x00\x03\x00\x00\x00 un programa') });
  await page.getByRole('button', { name: 'Radicar' }).click();
  await expect(page.getByRole('alert')).toContainText('no es realmente un archivo PDF');
  await expect(page.getByLabel('Asunto')).toHaveValue('Solicita copia del contrato');
  await files.setInputFiles({ name: 'cedula.pdf', mimeType: 'application/pdf', buffer: PDF });
  await page.getByRole('button', { name: 'Radicar' }).click();
  await expect(page.getByTestId('radicado')).toHaveText(/^\d{4}-\d{6}$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const first = await page.getByTestId('radicado').innerText();
  // The attachment is on the request, and downloads.
  await page.getByRole('link', { name: 'Ver la solicitud' }).click();
  await expect(page.getByRole('heading', { name: /Solicita copia del contrato/ })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const attached = page.getByRole('link', { name: 'cedula.pdf' });
  await expect(attached).toBeVisible();
  const download = page.waitForEvent('download');
  await attached.click();
  expect((await download).suggestedFilename()).toBe('cedula.pdf');
  expect(first).toMatch(/^\d{4}-\d{6}$/);

  // Days later she calls: the account is found by her document.
  await open(page, '/equipo/nueva');
  await page.getByLabel('Número de documento').fill(customer.cedula);
  await page.getByRole('button', { name: 'Buscar cliente' }).click();
  await expect(page.getByTestId('cliente')).toContainText('Rosa Elena Cárdenas');
  await page.getByRole('combobox', { name: 'Canal' }).selectOption('telefono');
  await page.getByLabel('Tipo de solicitud').selectOption('queja');
  await page.getByLabel('Asunto').fill('Llamó por un envío demorado');
  await page.getByLabel('Descripción (lo que cuenta el cliente)').fill('La clienta llamó: su envío lleva cinco días sin moverse.');
  await page.getByRole('button', { name: 'Radicar' }).click();
  const radicado = page.getByTestId('radicado');
  await expect(radicado).toHaveText(/^\d{4}-\d{6}$/);
  const number = await radicado.innerText();
  // She gets the usual filing e-mail with that radicado.
  await expect.poll(() => mailed(number), { timeout: 20_000 }).toBe(true);

  await page.getByRole('link', { name: 'Ver la solicitud' }).click();
  await expect(page.getByRole('heading', { name: /Llamó por un envío demorado/ })).toBeVisible();
  await expect(page.getByText('registrada por Andrés Asesor').first()).toBeVisible();
});
