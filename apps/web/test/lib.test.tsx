// @vitest-environment jsdom
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRef } from 'react';
import { ErrorSummary } from '../src/components/error-summary';
import { TextField } from '../src/components/field';
import { initI18n } from '../src/i18n';
import { clearDraft, readDraft, writeDraft } from '../src/lib/drafts';
import { describeUserAgent } from '../src/features/account/device';
import { formatDate, formatDateTime } from '../src/lib/format';
import { procedureOfKey, shouldPersistQuery } from '../src/lib/query-client';
import { safeRedirect } from '../src/lib/redirect';

beforeAll(async () => {
  await initI18n('en').changeLanguage('en');
});

afterEach(() => {
  cleanup();
  localStorage.clear();
});

describe('persisted query cache', () => {
  const query = (path: string[], status: 'success' | 'error' | 'pending') =>
    ({ queryKey: [path, { type: 'query' }], state: { status } }) as unknown as Parameters<
      typeof shouldPersistQuery
    >[0];

  it('keeps only successful answers of the allow-listed procedures', () => {
    expect(procedureOfKey([['auth', 'sessions', 'list'], { type: 'query' }])).toBe(
      'auth.sessions.list',
    );
    expect(shouldPersistQuery(query(['auth', 'me'], 'success'))).toBe(true);
    expect(shouldPersistQuery(query(['auth', 'sessions', 'list'], 'success'))).toBe(true);
    expect(shouldPersistQuery(query(['auth', 'me'], 'error'))).toBe(false);
    expect(shouldPersistQuery(query(['patient', 'list'], 'success'))).toBe(false);
  });
});

describe('drafts', () => {
  it('stores only the named fields and forgets them when cleared', () => {
    writeDraft('medora.draft.test', { phone: '+998901234567', name: 'Aziza' });
    localStorage.setItem(
      'medora.draft.other',
      JSON.stringify({ phone: '1', password: 'secret-password' }),
    );
    expect(readDraft('medora.draft.test', ['phone', 'name'])).toEqual({
      phone: '+998901234567',
      name: 'Aziza',
    });
    expect(readDraft('medora.draft.other', ['phone'])).toEqual({ phone: '1' });
    clearDraft('medora.draft.test');
    expect(localStorage.getItem('medora.draft.test')).toBeNull();
    writeDraft('medora.draft.test', { phone: '', name: '' });
    expect(localStorage.getItem('medora.draft.test')).toBeNull();
  });
});

describe('safeRedirect', () => {
  it('allows same-site paths only', () => {
    expect(safeRedirect('/profile?tab=1')).toBe('/profile?tab=1');
    expect(safeRedirect('//evil.example')).toBeUndefined();
    expect(safeRedirect('/\\evil.example')).toBeUndefined();
    expect(safeRedirect('https://evil.example')).toBeUndefined();
    expect(safeRedirect(42)).toBeUndefined();
    for (const sneaky of [
      '/\t/evil.example',
      '/\n/evil.example',
      '/\r\n//evil.example',
      '/\u0000x',
    ]) {
      expect(safeRedirect(sneaky)).toBeUndefined();
    }
    expect(safeRedirect(`/${'a'.repeat(3000)}`)).toBeUndefined();
  });
});

describe('describeUserAgent', () => {
  it('names the browser, the system and, where the user agent says, the hardware', () => {
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
      ),
    ).toEqual({ browser: 'Chrome 130', os: 'Windows', model: null });
    expect(
      describeUserAgent(
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
      ),
    ).toEqual({ browser: 'Safari 17', os: 'iOS 17.0', model: 'iPhone' });
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Linux; Android 14; SM-S918B) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
      ),
    ).toEqual({ browser: 'Chrome 120', os: 'Android 14', model: 'SM-S918B' });
    // Chrome's reduced user agent hides the model behind "K": say nothing rather than "K".
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
      ).model,
    ).toBeNull();
    expect(
      describeUserAgent(
        'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 YaBrowser/24.1.0.0 Safari/537.36',
      ).browser,
    ).toBe('Yandex Browser 24');
    expect(describeUserAgent(null)).toEqual({ browser: null, os: null, model: null });
    expect(describeUserAgent('curl/8.0')).toEqual({ browser: null, os: null, model: null });
  });
});

describe('dates', () => {
  const date = new Date(2026, 11, 3, 14, 5);

  it('writes Russian dates without "г." so a sentence never ends in "г.."', () => {
    expect(formatDate(date, 'ru')).toBe('3 декабря 2026');
    expect(formatDateTime(date, 'ru')).toBe('3 дек. 2026, 14:05');
  });

  it('spells Uzbek dates out and keeps English ones as Intl writes them', () => {
    expect(formatDate(date, 'uz')).toBe('2026-yil 3-dekabr');
    expect(formatDateTime(date, 'uz')).toBe('2026-yil 3-dekabr, 14:05');
    expect(formatDate(date, 'en')).toBe('December 3, 2026');
  });
});

describe('form fields', () => {
  it('wires translated errors with aria-invalid and aria-describedby', () => {
    render(
      <TextField
        id="phone"
        label="Phone number"
        hint="Uzbek mobile number."
        errors={['phone.invalid']}
        value=""
        readOnly
      />,
    );
    const input = screen.getByLabelText('Phone number');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    const describedBy = input.getAttribute('aria-describedby')?.split(' ') ?? [];
    expect(describedBy).toEqual(['phone-hint', 'phone-error']);
    expect(document.getElementById('phone-error')?.textContent).toBe(
      'Enter an Uzbek mobile number, for example +998 90 123 45 67.',
    );
  });

  it('is valid without errors', () => {
    render(<TextField id="name" label="Full name" value="" readOnly />);
    const input = screen.getByLabelText('Full name');
    expect(input.getAttribute('aria-invalid')).toBe('false');
    expect(input.hasAttribute('aria-describedby')).toBe(false);
  });

  it('lists problems in an alert that links to the fields', () => {
    render(
      <ErrorSummary
        summaryRef={createRef<HTMLDivElement>()}
        fieldErrors={{ password: ['password.too_short'], '': ['invalid'] }}
        formError="The phone number or password is incorrect."
        fields={{ password: { id: 'login-password', label: 'Password' } }}
      />,
    );
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('The phone number or password is incorrect.');
    const link = screen.getByRole('link', {
      name: /Password: The password must be at least 8 characters/,
    });
    expect(link.getAttribute('href')).toBe('#login-password');
    expect(alert.textContent).toContain('This value is not valid.');
  });
});
