import { test, expect, open, signIn, signOut, registerCustomer } from './fixtures';

// The transactional survey on a phone (390×844, the "movil" project) and the detractor desk
// it feeds (survey requirement, seed 003): a customer closes a request, answers NPS 3 / CSAT 2, and the
// asesor finds the case, fails to reach them three times and sees it closed "No contactado".

test('un detractor responde la encuesta y el asesor registra tres intentos fallidos', async ({ page }) => {
  await registerCustomer(page, 'Marta Lucía Detractora');
  await open(page, '/portal/nueva');
  await page.getByLabel('Tipo de solicitud').selectOption('queja');
  await page.getByLabel('Asunto').fill('Atención demorada');
  await page.getByLabel('Descripción').fill('Esperé varios días una respuesta sobre mi envío.');
  await page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(page).toHaveURL(/\/portal\/solicitudes\/\d{4}-\d{6}\?radicada=1$/);
  const radicado = page.url().match(/(\d{4}-\d{6})/)![1];

  await page.getByText('Cerrar solicitud').click();
  await page.getByRole('button', { name: 'Sí, cerrar definitivamente' }).click();
  await expect(page.locator('.state')).toHaveText('Cerrada');

  await page.getByRole('link', { name: 'Responder la encuesta' }).click();
  await expect(page).toHaveURL(/\/encuesta\/[0-9a-f]{32}$/);
  await expect(page.getByText(radicado)).toBeVisible();
  await page.getByRole('group', { name: /satisfecho/ }).getByLabel('2', { exact: true }).check();
  await page.getByRole('group', { name: /recomiende/ }).getByLabel('3', { exact: true }).check();
  await page.getByRole('group', { name: '¿Se resolvió su solicitud?' }).getByLabel('No', { exact: true }).check();
  await page.getByLabel('Comentario (opcional)').fill('Tardaron mucho en responder.');
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status')).toContainText('¡Gracias! Recibimos sus respuestas.');
  await expect(page.getByRole('button', { name: 'Enviar respuestas' })).toHaveCount(0);

  await signOut(page);
  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Detractores' }).click();
  await expect(page).toHaveURL(/\/equipo\/detractores$/);
  const row = page.locator('tr', { hasText: radicado });
  await expect(row).toContainText('Marta Lucía Detractora');
  await expect(row).toContainText('Tardaron mucho en responder.');
  await expect(row).toContainText('Andrés Asesor');
  await expect(row).toContainText(/quedan 2[34] h/);
  await row.getByRole('link', { name: 'Marta Lucía Detractora' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toContainText(radicado);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);

  for (let attempt = 1; attempt <= 3; attempt++) {
    await page.getByLabel('Resultado del intento').selectOption('no_contesta');
    await page.getByRole('button', { name: 'Registrar intento' }).click();
    await expect(page.locator('.attempts li')).toHaveCount(attempt);
  }
  await expect(page.locator('.state')).toHaveText('No contactado');
  await expect(page.getByRole('button', { name: 'Registrar intento' })).toHaveCount(0);

  await page.getByRole('link', { name: '← Detractores' }).click();
  await expect(page.locator('tr', { hasText: radicado })).toHaveCount(0);
});

test.describe('sin WebAssembly', () => {
  test.use({ javaScriptEnabled: false });

  // Issue 6: the survey is "usable without the WebAssembly loaded" — a phone on a slow line
  // opens the e-mailed link and answers before the WebAssembly arrives, as a plain form.
  test('la encuesta de una solicitud cerrada se responde como formulario HTML simple', async ({ page, browser }) => {
    // The customer's own session, with the WebAssembly, files and closes the request first.
    const phone = await browser.newContext({
      javaScriptEnabled: true,
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      locale: 'es-CO',
      timezoneId: 'America/Bogota',
    });
    const prep = await phone.newPage();
    await registerCustomer(prep, 'Sara Sin Script');
    await open(prep, '/portal/nueva');
    await prep.getByLabel('Tipo de solicitud').selectOption('queja');
    await prep.getByLabel('Asunto').fill('Paquete entregado tarde');
    await prep.getByLabel('Descripción').fill('El paquete llegó dos días después de lo prometido.');
    await prep.getByRole('button', { name: 'Radicar solicitud' }).click();
    await expect(prep).toHaveURL(/\/portal\/solicitudes\/\d{4}-\d{6}\?radicada=1$/);
    await prep.getByText('Cerrar solicitud').click();
    await prep.getByRole('button', { name: 'Sí, cerrar definitivamente' }).click();
    await expect(prep.locator('.state')).toHaveText('Cerrada');
    const link = await prep.getByRole('link', { name: 'Responder la encuesta' }).getAttribute('href');
    await phone.close();
    expect(link).toMatch(/^\/encuesta\/[0-9a-f]{32}$/);

    await page.goto(link!);
    await page.getByRole('group', { name: /satisfecho/ }).getByLabel('5', { exact: true }).check();
    await page.getByRole('group', { name: /recomiende/ }).getByLabel('10', { exact: true }).check();
    await page.getByRole('group', { name: '¿Se resolvió su solicitud?' }).getByLabel('Sí', { exact: true }).check();
    await page.getByRole('button', { name: 'Enviar respuestas' }).click();
    await expect(page).toHaveURL(new RegExp(`${link}\\?gracias=1$`));
    await expect(page.getByRole('status')).toContainText('¡Gracias! Recibimos sus respuestas.');
    // Opening the link again shows it answered; there is nothing left to submit.
    await page.goto(link!);
    await expect(page.getByRole('button', { name: 'Enviar respuestas' })).toHaveCount(0);
  });
});
