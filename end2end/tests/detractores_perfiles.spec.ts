import { test, expect, open, signIn, signOut } from './fixtures';

// Seed 003 §4 steps 2 and 4 at a desk: the supervisor sets which segments an asesor attends
// (and sets it back to all), then the asesor reaches an imported detractor who has no
// e-mail and records the second survey — about the call itself — while still on the line.

const base = [
  'Id Encuesta;Cuenta;Nombre Cliente;ANI;Segmento;NPS;Comentario',
  'PF-1;5601;Lucía Sincorreo;3005556677;Hogar;1;Me cortaron el servicio sin aviso',
].join('\n');

// The server's refusal of an incomplete survey answers 422, on purpose.
test.use({ expectedHttpErrors: [422] });

test('el supervisor define perfiles y el asesor registra la segunda encuesta en la llamada', async ({ page }) => {
  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, '/equipo/detractores');
  await page.getByRole('link', { name: 'Perfiles de atención' }).click();
  await expect(page).toHaveURL(/\/equipo\/detractores\/perfiles$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const row = page.locator('tr[data-agent="Andrés Asesor"]');
  await expect(row).toContainText('· Todos');
  await row.getByLabel('movil').check();
  await row.getByRole('button', { name: 'Guardar' }).click();
  await expect(page.getByRole('status')).toHaveText('Perfil guardado.');
  await expect(row).toContainText('· movil');
  await row.getByLabel('movil').uncheck();
  await row.getByRole('button', { name: 'Guardar' }).click();
  await expect(row).toContainText('· Todos');

  // The day's base brings a detractor reachable only by phone.
  await open(page, '/equipo/detractores/importar');
  await page.getByLabel('Archivo de la base').setInputFiles({
    name: 'perfiles.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(base, 'utf-8'),
  });
  await page.getByRole('button', { name: 'Cargar archivo' }).click();
  await expect(page).toHaveURL(/\/equipo\/detractores\/importar\?archivo=[0-9a-f]+$/);
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  await page.getByRole('button', { name: 'Importar' }).click();
  await expect(page.getByRole('status')).toContainText('1 casos nuevos');
  await signOut(page);

  await signIn(page, 'asesor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await open(page, '/equipo/detractores');
  // Seed 003 §4 step 5: the case's 24 hours tick in the desk like the workspace's timers.
  const deskClock = page.locator('tr', { hasText: 'Lucía Sincorreo' }).locator('.timer');
  await expect(deskClock).toHaveClass(/timer-on_track/);
  await expect(deskClock).toContainText(/quedan 2[34] h/);
  await page.getByRole('link', { name: 'Lucía Sincorreo' }).click();
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
  const clock = page.locator('.recovery-case .timer .left');
  const shown = await clock.textContent();
  await expect(clock).not.toHaveText(shown!, { timeout: 5_000 });
  await expect(clock).toHaveText(/^quedan 2[34] h \d\d min \d\d s$/);
  await expect(page.getByRole('heading', { name: 'Segunda encuesta (en la llamada)' })).toHaveCount(0);
  await page.getByLabel('Resultado del intento').selectOption('contacto_efectivo');
  await page.getByLabel(/Motivo de la mala calificación/).fill('El corte fue por un pago que sí estaba al día.');
  await page.getByLabel(/Solución/).selectOption('solucionado_primer_contacto');
  await page.getByRole('button', { name: 'Registrar intento' }).click();
  await expect(page.locator('.state')).toHaveText('Contacto efectivo');
  await expect(page.locator('p', { hasText: 'Encuesta sobre la llamada:' })).toContainText('Enviada, sin respuesta todavía');

  const survey = page.locator('form.call-survey');
  await survey.getByRole('group', { name: /atención en esta llamada/ }).getByLabel('5', { exact: true }).check();
  // Sending without the second answer (the browser's own check lifted, as an old browser
  // would) is refused in words by the server and records nothing.
  for (const input of await survey.locator('input[name="nps"]').all()) {
    await input.evaluate((el) => el.removeAttribute('required'));
  }
  await survey.getByRole('button', { name: 'Registrar la encuesta' }).click();
  await expect(survey.getByRole('alert')).toContainText('Recomendación: elija un valor de 0 a 10.');
  await survey.getByRole('group', { name: /recomiende/ }).getByLabel('9', { exact: true }).check();
  await survey.getByLabel('Comentario del cliente (opcional)').fill('Resolvieron rápido.');
  await survey.getByRole('button', { name: 'Registrar la encuesta' }).click();
  await expect(page.locator('p', { hasText: 'Encuesta sobre la llamada:' })).toContainText(
    'NPS 9 · CSAT 5 (respondida en la llamada)',
  );
  await expect(page.locator('form.call-survey')).toHaveCount(0);
});
