// Home shows each lesson's progress from this browser's storage, continues where the learner
// stopped, lists the labs in the suggested order, and forgets everything on request.
import { test, expect } from '@playwright/test';
import { registryLabs, waitForApp, watchErrors } from './helpers.mjs';

test('home follows a lesson: progress, continue, reset', async ({ page }) => {
  const errors = watchErrors(page);
  await page.goto('/');
  await waitForApp(page);
  // The suggested path: one server first, the journey last.
  const order = await page.locator('[data-testid^="lab-card-"]').evaluateAll((cards) =>
    cards.map((c) => c.dataset.testid.replace('lab-card-', '')));
  expect(order).toEqual(registryLabs().map((l) => l.slug));
  expect(order[0]).toBe('capacity');
  expect(order.at(-1)).toBe('journey');

  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('continue-capacity')).toContainText('Start the lesson');
  await expect(page.getByTestId('lab-card-capacity')).toContainText(/8 steps · about \d+ min/);
  await page.getByTestId('continue-capacity').click();
  await expect(page).toHaveURL(/\/labs\/capacity\?step=1/);
  await waitForApp(page);
  // A wrong answer still completes the step; the next step is done once opened.
  await page.getByTestId('predict-option-0').check();
  await page.getByTestId('predict-submit').click();
  await expect(page.getByTestId('prediction-result')).toContainText('Not quite');
  await page.getByTestId('lesson-next').click();
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '2');

  await page.getByRole('link', { name: 'ScaleLab' }).first().click();
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0.25');
  await expect(page.getByTestId('lab-card-capacity')).toContainText('2 of 8 steps · 0 of 3 predictions right · 0 of 2 goals');
  await expect(page.getByTestId('progress-hash-ring')).toHaveAttribute('data-value', '0');
  // Progress survives a reload (it is in localStorage), and "continue" goes to the step.
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0.25');
  await expect(page.getByTestId('continue-capacity')).toContainText('Continue at step 2');
  await page.getByTestId('continue-capacity').click();
  await expect(page.getByTestId('lesson-step')).toHaveAttribute('data-value', '2');

  await page.goBack();
  await waitForApp(page);
  await page.getByTestId('reset-progress').click();
  await page.getByTestId('reset-progress-cancel').click();
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0.25');
  await page.getByTestId('reset-progress').click();
  await page.getByTestId('reset-progress-confirm').click();
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0');
  await expect(page.getByTestId('continue-capacity')).toContainText('Start the lesson');
  await page.reload();
  await waitForApp(page);
  await expect(page.getByTestId('progress-capacity')).toHaveAttribute('data-value', '0');
  errors.check();
});
