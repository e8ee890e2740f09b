// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { TRPCClientError } from '@trpc/client';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loginInput } from '@medora/schema';
import { PasswordField, PhoneField } from '../src/components/field';
import { SchemaFormView } from '../src/components/form';
import { initI18n } from '../src/i18n';
import { errorMessage, parseError } from '../src/lib/errors';
import { fieldCodeOf, useSchemaForm, type LazySchema } from '../src/lib/forms';

beforeAll(async () => {
  await initI18n('en').changeLanguage('en');
});

afterEach(() => cleanup());

function serverError(data: Record<string, unknown>) {
  return TRPCClientError.from({ error: { message: 'x', code: -32600, data } });
}

let lazyLoads = 0;
/** The schema as the sign-in page declares it: loaded when the form first validates. */
const lazyLogin: LazySchema<typeof loginInput> = {
  load: () => {
    lazyLoads += 1;
    return Promise.resolve(loginInput);
  },
};

/** A login-shaped form whose submit answers with `answer` (an error to throw, or nothing). */
function LoginForm({ answer, lazy = false }: { answer: () => Error | undefined; lazy?: boolean }) {
  const form = useSchemaForm({
    schema: lazy ? lazyLogin : loginInput,
    defaultValues: { phone: '', password: '' },
    fields: {
      phone: { id: 'phone', label: 'Phone number' },
      password: { id: 'password', label: 'Password' },
    },
    onSubmit: () => {
      const error = answer();
      return error ? Promise.reject(error) : Promise.resolve();
    },
    describeError: (t, parsed) =>
      parsed.attemptsRemaining === null
        ? errorMessage(t, parsed)
        : `${errorMessage(t, parsed)} (${parsed.attemptsRemaining} left)`,
  });
  return (
    <SchemaFormView form={form}>
      <PhoneField {...form.field('phone')} />
      <PasswordField {...form.field('password')} />
      <button type="submit">Sign in</button>
    </SchemaFormView>
  );
}

async function submit() {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    await new Promise((resolve) => setTimeout(resolve, 20));
  });
}

async function fill(label: string, value: string) {
  await act(async () => {
    fireEvent.change(screen.getByLabelText(label), { target: { value } });
    await Promise.resolve();
  });
}

describe('useSchemaForm', () => {
  it('validates with the shared schema, focuses the summary and links it to the fields', async () => {
    render(<LoginForm answer={() => undefined} />);
    await fill('Phone number', '12345');
    await submit();
    const summary = screen.getByRole('alert');
    expect(document.activeElement).toBe(summary);
    const link = screen.getByRole('link', { name: /Phone number: Enter an Uzbek mobile number/ });
    expect(link.getAttribute('href')).toBe('#phone');
    expect(screen.getByRole('link', { name: /Password: This field is required/ })).toBeTruthy();
    const phone = screen.getByLabelText('Phone number');
    expect(phone.getAttribute('aria-invalid')).toBe('true');
    expect(phone.getAttribute('aria-describedby')).toContain('phone-error');
  });

  it('validates with a schema loaded on the first submit, not before', async () => {
    lazyLoads = 0;
    const sent: string[] = [];
    render(
      <LoginForm
        lazy
        answer={() => {
          sent.push('sent');
          return undefined;
        }}
      />,
    );
    await fill('Phone number', '12345');
    expect(lazyLoads).toBe(0);
    await submit();
    expect(lazyLoads).toBe(1);
    expect(
      screen.getByRole('link', { name: /Phone number: Enter an Uzbek mobile number/ }),
    ).toBeTruthy();
    expect(sent).toEqual([]);
    await fill('Phone number', '+998901234567');
    await fill('Password', 'a-long-password-1');
    await submit();
    expect(sent).toEqual(['sent']);
  });

  it('puts server field errors on their fields and shows each error once', async () => {
    render(
      <LoginForm
        answer={() =>
          serverError({
            appCode: 'VALIDATION_FAILED',
            httpStatus: 400,
            fieldErrors: { phone: ['phone.invalid'] },
          })
        }
      />,
    );
    await fill('Phone number', '+998901234567');
    await fill('Password', 'secret-password');
    await submit();
    const text = 'Enter an Uzbek mobile number, for example +998 90 123 45 67.';
    // Once in the summary (as a link), once at the field: no third copy at the top.
    expect(screen.getAllByRole('link', { name: `Phone number: ${text}` })).toHaveLength(1);
    expect(document.body.textContent?.split(text)).toHaveLength(3);
    expect(document.getElementById('phone-error')?.textContent).toBe(text);
    expect(screen.queryByText('Some fields are not filled in correctly.')).toBeNull();
  });

  it('says a form-level error once, with the words the form chooses', async () => {
    render(
      <LoginForm
        answer={() =>
          serverError({ appCode: 'INVALID_CREDENTIALS', httpStatus: 401, attemptsRemaining: 2 })
        }
      />,
    );
    await fill('Phone number', '+998901234567');
    await fill('Password', 'wrong-password');
    await submit();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('The phone number or password is incorrect. (2 left)');
    expect(document.activeElement).toBe(alert);
    expect(screen.getByLabelText('Phone number').getAttribute('aria-invalid')).toBe('false');
  });
});

describe('server error details', () => {
  it('reads the attempts left before the lock', () => {
    expect(
      parseError(serverError({ appCode: 'INVALID_CREDENTIALS', attemptsRemaining: 2 }))
        .attemptsRemaining,
    ).toBe(2);
    expect(parseError(serverError({ appCode: 'INVALID_CREDENTIALS' })).attemptsRemaining).toBe(
      null,
    );
    expect(
      parseError(serverError({ appCode: 'INVALID_CREDENTIALS', attemptsRemaining: 'x' }))
        .attemptsRemaining,
    ).toBe(null);
  });

  it('maps zod issues the resolver reports to field codes', () => {
    expect(fieldCodeOf({ type: 'custom', message: 'phone.invalid' })).toBe('phone.invalid');
    expect(fieldCodeOf({ type: 'invalid_type', message: 'Expected string' })).toBe('required');
    expect(fieldCodeOf({ type: 'too_small', message: 'Too small' })).toBe('too_short');
    expect(fieldCodeOf({ type: 'too_big', message: 'Too big' })).toBe('too_long');
    expect(fieldCodeOf({ type: 'whatever', message: 'Nope' })).toBe('invalid');
  });
});

describe('password field', () => {
  it('shows the password with a pressed toggle whose name stays "Show password"', async () => {
    render(<PasswordField id="pw" label="Password" defaultValue="s3cret-pass" />);
    const input = screen.getByLabelText('Password');
    const toggle = screen.getByRole('button', { name: 'Show password' });
    expect(input.getAttribute('type')).toBe('password');
    expect(toggle.getAttribute('aria-pressed')).toBe('false');
    expect(toggle.getAttribute('aria-controls')).toBe('pw');
    await act(async () => {
      fireEvent.click(toggle);
      await Promise.resolve();
    });
    expect(input.getAttribute('type')).toBe('text');
    expect(toggle.getAttribute('aria-pressed')).toBe('true');
  });
});
