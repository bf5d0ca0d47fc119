import { test, expect, open, signIn, signOut, registerCustomer } from './fixtures';

// Issue 6 "Results": a customer answers the survey of a closed request, and the supervisor
// reads it in the period's results: the headline figures against their goals, the NPS split
// and the NPS per month drawn as SVG by our own code, the splits and the comment.

test('el supervisor ve los resultados de las encuestas del periodo con gráficos SVG', async ({ page }) => {
  await registerCustomer(page, 'Paula Promotora');
  await open(page, '/portal/nueva');
  await page.getByLabel('Tipo de solicitud').selectOption('peticion_general');
  await page.getByLabel('Asunto').fill('Certificado de cuenta');
  await page.getByLabel('Descripción').fill('Necesito un certificado de mi cuenta para un trámite.');
  await page.getByRole('button', { name: 'Radicar solicitud' }).click();
  await expect(page).toHaveURL(/\/portal\/solicitudes\/\d{4}-\d{6}\?radicada=1$/);
  await page.getByText('Cerrar solicitud').click();
  await page.getByRole('button', { name: 'Sí, cerrar definitivamente' }).click();
  await expect(page.locator('.state')).toHaveText('Cerrada');
  await page.getByRole('link', { name: 'Responder la encuesta' }).click();
  await page.getByRole('group', { name: /satisfecho/ }).getByLabel('5', { exact: true }).check();
  await page.getByRole('group', { name: /recomiende/ }).getByLabel('10', { exact: true }).check();
  await page.getByRole('group', { name: '¿Se resolvió su solicitud?' }).getByLabel('Sí', { exact: true }).check();
  await page.getByLabel('Comentario (opcional)').fill('Excelente atención, muy rápida.');
  await page.getByRole('button', { name: 'Enviar respuestas' }).click();
  await expect(page.getByRole('status')).toContainText('¡Gracias!');
  await signOut(page);

  await signIn(page, 'supervisor@demo.ventanilla.co');
  await expect(page).toHaveURL(/\/equipo$/);
  await page.getByRole('link', { name: 'Resultados' }).click();
  await expect(page).toHaveURL(/\/equipo\/resultados$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Resultados de encuestas');
  await expect(page.locator('.figure', { hasText: 'CSAT' })).toContainText('meta 90 %');
  await expect(page.locator('.figure', { hasText: 'Contacto efectivo' })).toContainText('meta 80 %');

  const split = page.locator('svg.nps-split');
  await expect(split).toHaveAttribute('role', 'img');
  await expect(split).toHaveAttribute('aria-label', /^Promotores \d+ %, neutros \d+ %, detractores \d+ %$/);
  await expect(split.locator('rect.promotores')).toHaveCount(1);
  const months = page.getByRole('img', { name: 'NPS por mes' });
  await expect(months.locator('rect.bar, rect.negative')).not.toHaveCount(0);
  await expect(page.locator('.comments')).toContainText('Excelente atención, muy rápida.');
  await expect(page.getByRole('heading', { name: 'Por segmento de cliente' })).toBeVisible();

  // Another period, chosen with the plain filter form.
  await page.getByLabel('Desde').fill('2020-01-01');
  await page.getByLabel('Hasta').fill('2020-01-31');
  await page.getByRole('button', { name: 'Ver periodo' }).click();
  await expect(page).toHaveURL(/desde=2020-01-01&hasta=2020-01-31/);
  await expect(page.getByText('No hay comentarios en el periodo.')).toBeVisible();
  await expect(page.locator('svg.nps-split')).toHaveCount(0);
});
