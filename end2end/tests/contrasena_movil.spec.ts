import fs from 'node:fs';
import path from 'node:path';
import { test, expect, open, signIn, signOut, freshCustomer, registerCustomer } from './fixtures';

// Accounts created on a customer's behalf have no password: the customer gets an e-mail with a
// single-use link to create one, on the phone where they read their mail. The same kind of
// link answers "¿Olvidó su contraseña?". The e-mails are read from the outbox folder the test
// server writes them to.

const outbox = path.resolve(__dirname, '..', '..', 'target', 'e2e', 'outbox');

/** The text of an e-mail file: its body decoded as its Content-Transfer-Encoding says. */
function mailText(mail: string): string {
  const split = mail.search(/\r?\n\r?\n/);
  const head = mail.slice(0, split);
  const body = mail.slice(split).trim();
  if (/^Content-Transfer-Encoding: base64/im.test(head)) {
    return Buffer.from(body.replace(/\s+/g, ''), 'base64').toString('utf8');
  }
  if (/^Content-Transfer-Encoding: quoted-printable/im.test(head)) {
    const bytes = body
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-F]{2})/g, (_, hex) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return body;
}

/** The path of the link mailed to `email` (a set-password link unless `kind` says another
 * path, e.g. `correo`), or '' while there is none. */
function mailedLink(email: string, kind = 'contrasena'): string {
  if (fs.statSync(outbox, { throwIfNoEntry: false })?.isDirectory() !== true) return '';
  const links = fs
    .readdirSync(outbox)
    .filter((name) => name.endsWith('.eml'))
    .map((name) => fs.readFileSync(path.join(outbox, name), 'utf8'))
    .filter((mail) => mail.includes(`To: ${email}`))
    .map((mail) => new RegExp(`https?://\\S+(/${kind}/[0-9a-f]{64})`).exec(mailText(mail))?.[1] ?? '')
    .filter((link) => link !== '');
  return links.length === 1 ? links[0] : '';
}

const PASSWORD = 'clave-de-rosa-7';

test('quien registró un asesor crea su contraseña desde el correo, ingresa y ve su solicitud', async ({ page }) => {
  const customer = freshCustomer();
  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, '/equipo/nueva');
  await page.getByLabel('Tipo de documento').selectOption('CC');
  await page.getByLabel('Número de documento').fill(customer.cedula);
  await page.getByRole('button', { name: 'Buscar cliente' }).click();
  await expect(page.getByText('No hay una cuenta con ese documento')).toBeVisible();
  await page.getByLabel('Nombre o razón social').fill('Rosa Elena Cárdenas');
  await page.getByRole('textbox', { name: 'Correo electrónico' }).fill(customer.email);
  await page.getByRole('combobox', { name: 'Canal' }).selectOption('telefono');
  await page.getByLabel('Tipo de solicitud').selectOption('reclamo');
  await page.getByLabel('Asunto').fill('Cobro doble en la factura');
  await page.getByLabel('Descripción (lo que cuenta el cliente)').fill('Llamó porque le cobraron dos veces el mismo envío.');
  await page.getByLabel(/autorizó, por este canal/).check();
  await page.getByRole('button', { name: 'Radicar' }).click();
  await expect(page.getByTestId('radicado')).toHaveText(/^\d{4}-\d{6}$/);
  const radicado = await page.getByTestId('radicado').innerText();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await signOut(page);

  // On her phone: the e-mail's link opens the page to create the password.
  await expect.poll(() => mailedLink(customer.email), { timeout: 20_000 }).not.toBe('');
  const link = mailedLink(customer.email);
  await open(page, link);
  await expect(page.getByRole('heading', { name: 'Crear su contraseña' })).toBeVisible();
  await expect(page.getByText('Hola, Rosa Elena Cárdenas.')).toBeVisible();
  await page.getByLabel('Contraseña (8 a 128 caracteres)').fill(PASSWORD);
  await page.getByLabel('Confirme la contraseña').fill(PASSWORD);
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await expect(page.getByRole('link', { name: radicado })).toBeVisible();
  await signOut(page);

  // From now on she signs in with her document and sees the request.
  await signIn(page, customer.cedula, PASSWORD);
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole('link', { name: radicado }).click();
  await expect(page.getByRole('heading', { name: /Cobro doble en la factura/ })).toBeVisible();

  // The link worked once.
  await open(page, link);
  await expect(page.getByRole('alert')).toContainText('ya se usó');
  await expect(page.getByRole('link', { name: 'Pedir un enlace nuevo' })).toBeVisible();
});

test('¿Olvidó su contraseña? envía un enlace y la contraseña nueva sirve para ingresar', async ({ page }) => {
  const customer = await registerCustomer(page, 'Olga Olvidadiza');
  await signOut(page);
  await open(page, '/ingresar');
  await page.getByRole('link', { name: '¿Olvidó su contraseña?' }).click();
  await expect(page.getByRole('heading', { name: '¿Olvidó su contraseña?' })).toBeVisible();
  await page.getByLabel('Correo electrónico').fill(customer.email);
  await page.getByRole('button', { name: 'Enviar enlace' }).click();
  await expect(page.getByRole('status')).toContainText('Si ese correo corresponde a una cuenta de cliente');

  await expect.poll(() => mailedLink(customer.email), { timeout: 20_000 }).not.toBe('');
  await open(page, mailedLink(customer.email));
  await expect(page.getByRole('heading', { name: 'Crear una contraseña nueva' })).toBeVisible();
  await page.getByLabel('Contraseña (8 a 128 caracteres)').fill('clave-recordada-2');
  await page.getByLabel('Confirme la contraseña').fill('clave-recordada-2');
  await page.getByRole('button', { name: 'Guardar contraseña' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await signOut(page);
  await signIn(page, customer.email, 'clave-recordada-2');
  await expect(page).toHaveURL(/\/portal$/);
});

test('un cliente cambia su correo con su contraseña y lo confirma desde el enlace', async ({ page }) => {
  const customer = await registerCustomer(page, 'Camilo Andrés Ruiz');
  const newEmail = `nuevo${customer.email}`;
  await open(page, '/perfil');
  await expect(page.getByLabel('Dirección')).not.toHaveValue('');
  await page.getByLabel('Correo electrónico').fill(newEmail);
  await page.getByLabel('Contraseña actual (solo si cambia el correo)').fill('clave-segura-1');
  await page.getByRole('button', { name: 'Guardar cambios' }).click();
  await expect(page.locator('.pending-email')).toContainText(`Le enviamos un enlace a ${newEmail}`);
  // The old address is told at once; the new one gets the link.
  await expect.poll(() => mailedLink(newEmail, 'correo'), { timeout: 20_000 }).not.toBe('');
  await signOut(page);

  await open(page, mailedLink(newEmail, 'correo'));
  await page.getByRole('button', { name: 'Confirmar el cambio de correo' }).click();
  await expect(page.getByRole('status')).toContainText(`desde ahora le escribiremos a ${newEmail}`);

  await signIn(page, newEmail, 'clave-segura-1');
  await expect(page).toHaveURL(/\/portal$/);
});
