import { test, expect, open, signIn, signOut, freshCustomer } from './fixtures';

// Issue 19: the supervisor brings the customers from the ERP's export. A bad row (a NIT with
// a wrong check digit) blocks the whole file; a dry run says what would happen; skipping the
// bad row imports the rest. An imported customer then registers on the portal and files with
// the tier the ERP gave them.

// The contact form refused for want of the person's authorization answers 422.
test.use({ expectedHttpErrors: [422] });

/** The DIAN check digit of a NIT base (REFERENCE.md: weights 3, 7, 13, … from the right). */
function nitCheckDigit(base: string): number {
  const weights = [3, 7, 13, 17, 19, 23, 29, 37, 41, 43, 47, 53, 59, 67, 71];
  const digits = base.split('').reverse();
  const sum = digits.reduce((acc, d, i) => acc + Number(d) * weights[i], 0);
  const r = sum % 11;
  return r <= 1 ? r : 11 - r;
}

test('la supervisora importa clientes del ERP y el cliente importado radica como VIP', async ({ page }) => {
  const person = freshCustomer();
  const nitBase = `9${person.cedula.slice(-8)}`;
  const nit = `${nitBase}-${nitCheckDigit(nitBase)}`;
  const wrongNit = `${nitBase}-${(nitCheckDigit(nitBase) + 1) % 10}`;
  const file = [
    'Tipo de documento;Número de documento;Razón social;Valor contrato;Estado;Pagos al día;Tipo de cuenta',
    `CC;${person.cedula};Camila Importada Ríos;30.000.000;Activo;Sí;Normal`,
    `NIT;${nit};Distribuidora Importada SAS;2.000.000;Activo;Sí;Pyme`,
    `NIT;${wrongNit};Otra Empresa SAS;;;;`,
  ].join('\n');

  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, '/equipo/clientes');
  await page.getByRole('link', { name: 'Importar clientes desde el ERP' }).click();
  await expect(page).toHaveURL(/\/equipo\/clientes\/importar$/);
  await page.getByLabel('Archivo de clientes').setInputFiles({
    name: 'clientes-erp.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(file, 'utf-8'),
  });
  await page.getByRole('button', { name: 'Cargar archivo' }).click();
  await expect(page).toHaveURL(/\/equipo\/clientes\/importar\?archivo=[0-9a-f]+$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText('clientes-erp.csv · CSV · 3 filas de datos')).toBeVisible();
  await expect(page.locator('.import-preview')).toContainText('Distribuidora Importada SAS');
  await expect(page.getByLabel('Número de documento (obligatorio)')).toHaveValue('Número de documento');
  await expect(page.getByLabel('Contrato mensual (COP)')).toHaveValue('Valor contrato');

  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('alert')).toContainText('no se importó nada');
  await expect(page.locator('.import-errors')).toContainText('dígito de verificación del NIT no es correcto');

  await page.getByLabel('Omitir las filas con errores e importar las demás').check();
  await page.getByLabel('Solo simular: revisar y contar sin guardar nada').check();
  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('status')).toContainText('Simulación: no se guardó nada. Al importar quedarían 2 clientes nuevos');

  await page.getByLabel('Solo simular: revisar y contar sin guardar nada').uncheck();
  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('status')).toContainText('Importación terminada: 2 clientes nuevos, 0 actualizados, 0 sin cambios, 1 filas con errores omitidas.');

  await page.getByRole('link', { name: 'Ir a Clientes' }).click();
  await expect(page).toHaveURL(/\/equipo\/clientes$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByLabel('Buscar cliente').fill(nit);
  await page.getByRole('button', { name: 'Buscar' }).click();
  const company = page.getByRole('row').filter({ hasText: 'Distribuidora Importada SAS' });
  await expect(company).toContainText('Pyme');
  await expect(company).toContainText('Sin registro en el portal');

  // The company's first contact: a person who may sign in and file for it.
  await company.getByRole('link', { name: 'Distribuidora Importada SAS' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Distribuidora Importada SAS' })).toBeVisible();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText('Aún sin registro en el portal')).toBeVisible();
  await page.getByText('Añadir persona de contacto').click();
  await page.getByLabel('Nombre completo').fill('Julián Compras Importada');
  await page.getByLabel('Correo electrónico del contacto').fill(`compras${person.cedula}@correo.co`);
  await page.getByLabel('Celular del contacto (opcional)').fill('3105551234');
  await page.getByLabel('Medio por el que autorizó el tratamiento de sus datos').selectOption('telefono');
  await page.getByRole('button', { name: 'Añadir contacto' }).click();
  await expect(page.getByRole('alert')).toContainText('Ley 1581');
  await page.getByLabel('La persona autorizó el tratamiento de sus datos personales (Ley 1581 de 2012)').check();
  await page.getByRole('button', { name: 'Añadir contacto' }).click();
  await expect(page.getByRole('status')).toContainText('Julián Compras Importada ya es contacto de este cliente');
  await expect(page.getByText('Julián Compras Importada', { exact: true })).toBeVisible();
  await expect(page.getByText('Aún sin registro en el portal')).toHaveCount(0);
  await signOut(page);

  // The person registers with the imported document and takes the account and its tier.
  await open(page, '/registro');
  await page.getByLabel('Tipo de documento').selectOption('CC');
  await page.getByLabel('Número de documento').fill(person.cedula);
  await page.getByLabel('Nombre completo o razón social').fill('Camila Ríos');
  await page.getByLabel('Correo electrónico').fill(person.email);
  await page.getByLabel('Celular').fill('3157654321');
  await page.getByLabel('Dirección').fill('Calle 50 # 40-20, Medellín');
  await page.getByLabel('Contraseña (8 a 128 caracteres)').fill('clave-segura-1');
  await page.getByLabel('Confirme la contraseña').fill('clave-segura-1');
  await page.getByLabel(/Autorizo de manera previa/).check();
  await page.getByRole('button', { name: 'Crear cuenta' }).click();
  await expect(page).toHaveURL(/\/portal$/);
  await page.getByRole('link', { name: 'Nueva solicitud' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.getByText('Prioridad (cliente VIP)')).toBeVisible();
});
