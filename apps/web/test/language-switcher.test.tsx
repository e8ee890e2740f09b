// @vitest-environment jsdom
import { QueryClientProvider } from '@tanstack/react-query';
import { act, cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { initI18n } from '../src/i18n';
import { createQueryClient } from '../src/lib/query-client';

// The menu's code arrives when the test lets it: `arrive()` resolves the dynamic import.
let arrive!: () => void;
const arrived = new Promise<void>((resolve) => (arrive = resolve));
vi.mock('../src/components/language-menu', async (importOriginal) => {
  await arrived;
  return importOriginal();
});

const { LanguageSwitcher } = await import('../src/components/language-switcher');

beforeAll(async () => {
  // jsdom has no CSS.escape; React Aria's popover uses it on fixed meta names.
  if (typeof CSS === 'undefined') vi.stubGlobal('CSS', { escape: (value: string) => value });
  await initI18n('en').changeLanguage('en');
});

afterEach(() => cleanup());

/** Enough turns of the microtask queue for the switcher's `then`s to have run. */
async function microtasks(n = 20) {
  for (let i = 0; i < n; i += 1) await Promise.resolve();
}

describe('the language switcher', () => {
  it('opens the menu when its stand-in is pressed after the code arrived but before React swapped it in', async () => {
    render(
      <QueryClientProvider client={createQueryClient()}>
        <LanguageSwitcher />
      </QueryClientProvider>,
    );
    const standIn = screen.getByRole('button', { name: 'Language: English' });
    expect(standIn.hasAttribute('data-rac')).toBe(false);
    // Inside one act scope React renders nothing until the scope ends, so the press lands on the
    // stand-in after the code has arrived and the swap is queued: the moment a fast hand (or a
    // slow phone) hits in the browser.
    await act(async () => {
      standIn.focus();
      arrive();
      // The same module the switcher imports: once the test has it, so has the switcher.
      await import('../src/components/language-menu');
      await microtasks();
      standIn.click();
    });
    await screen.findByRole('menu');
    // The popover hides the rest of the page from assistive technology while it is open.
    const button = screen.getByRole('button', { name: 'Language: English', hidden: true });
    expect(button.hasAttribute('data-rac')).toBe(true);
    expect(button.getAttribute('aria-expanded')).toBe('true');
  });
});
