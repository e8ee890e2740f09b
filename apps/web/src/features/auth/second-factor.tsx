import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  totpCodeForm,
  totpEnrolCodeForm,
  type AuthOutput,
  type SecondFactorKind,
} from '@medora/schema';
import { TextField } from '../../components/field';
import { SchemaFormView, SubmitButton } from '../../components/form';
import { Button } from '../../components/ui/button';
import { trpc } from '../../lib/api';
import { errorMessage, parseError } from '../../lib/errors';
import { useSchemaForm } from '../../lib/forms';
import './second-factor.css';

interface StepProps {
  challenge: string;
  /** Tokens in hand: the page signs in and moves on. */
  onSignedIn: (auth: AuthOutput) => Promise<void>;
  /** Back to the password (a challenge that expired, or the administrator's choice). */
  onRestart: () => void;
}

/** The step after an administrator's password: a code, or the authenticator's set-up first. */
export function SecondFactorStep({ kind, ...props }: StepProps & { kind: SecondFactorKind }) {
  return kind === 'totp' ? <CodeStep {...props} /> : <EnrolStep {...props} />;
}

function useHeadingFocus() {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return ref;
}

function CodeStep({ challenge, onSignedIn, onRestart }: StepProps) {
  const { t } = useTranslation();
  const heading = useHeadingFocus();
  const verify = useMutation(trpc.auth.verifyTotp.mutationOptions());
  const form = useSchemaForm({
    schema: totpCodeForm,
    defaultValues: { code: '' },
    fields: { code: { id: 'totp-code', label: t('secondFactor.codeLabel') } },
    onSubmit: async ({ code }) => onSignedIn(await verify.mutateAsync({ challenge, code })),
  });
  return (
    <>
      <h2 ref={heading} tabIndex={-1}>
        {t('secondFactor.codeTitle')}
      </h2>
      <p>{t('secondFactor.codeIntro')}</p>
      <SchemaFormView form={form}>
        <TextField
          {...form.field('code')}
          hint={t('secondFactor.codeHint')}
          autoComplete="one-time-code"
          inputMode="numeric"
          spellCheck={false}
          required
        />
        <SubmitButton
          mutation={verify}
          label={t('secondFactor.verify')}
          busyLabel={t('secondFactor.verifying')}
        />
      </SchemaFormView>
      <p className="panel__footer">
        <Button onPress={onRestart}>{t('secondFactor.restart')}</Button>
      </p>
    </>
  );
}

function EnrolStep({ challenge, onSignedIn, onRestart }: StepProps) {
  const { t } = useTranslation();
  const heading = useHeadingFocus();
  const start = useMutation(trpc.auth.totpEnrolStart.mutationOptions());
  const finish = useMutation(trpc.auth.totpEnrolFinish.mutationOptions());
  const [done, setDone] = useState<{ auth: AuthOutput; codes: string[] } | null>(null);
  const started = useRef(false);
  useEffect(() => {
    // Once per challenge: a second start would replace the secret the admin is scanning.
    if (started.current) return;
    started.current = true;
    start.mutate({ challenge });
  }, [challenge, start]);
  const form = useSchemaForm({
    schema: totpEnrolCodeForm,
    defaultValues: { code: '' },
    fields: { code: { id: 'totp-enrol-code', label: t('secondFactor.codeLabel') } },
    onSubmit: async ({ code }) => {
      const { recoveryCodes, ...auth } = await finish.mutateAsync({ challenge, code });
      setDone({ auth, codes: recoveryCodes });
    },
  });

  if (done) return <RecoveryCodes codes={done.codes} onContinue={() => onSignedIn(done.auth)} />;
  return (
    <>
      <h2 ref={heading} tabIndex={-1}>
        {t('secondFactor.enrolTitle')}
      </h2>
      <p>{t('secondFactor.enrolIntro')}</p>
      {start.isPending && (
        <p role="status" className="muted">
          {t('a11y.loading')}
        </p>
      )}
      {start.isError && (
        <div role="alert" className="notice notice--error">
          <p>{errorMessage(t, parseError(start.error))}</p>
          <Button onPress={onRestart}>{t('secondFactor.restart')}</Button>
        </div>
      )}
      {start.data && (
        <>
          {/* An image, not inline markup: the server's SVG can never run anything here. */}
          <img
            className="totp-qr"
            src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(start.data.qrSvg)}`}
            alt={t('secondFactor.qrAlt')}
            width={200}
            height={200}
          />
          <p>
            {t('secondFactor.secretLabel')} <code className="totp-secret">{start.data.secret}</code>
          </p>
          <SchemaFormView form={form}>
            <TextField
              {...form.field('code')}
              hint={t('secondFactor.enrolCodeHint')}
              autoComplete="one-time-code"
              inputMode="numeric"
              spellCheck={false}
              required
            />
            <SubmitButton
              mutation={finish}
              label={t('secondFactor.enrolConfirm')}
              busyLabel={t('secondFactor.verifying')}
            />
          </SchemaFormView>
        </>
      )}
    </>
  );
}

function RecoveryCodes({ codes, onContinue }: { codes: string[]; onContinue: () => void }) {
  const { t } = useTranslation();
  const heading = useHeadingFocus();
  const [copied, setCopied] = useState(false);
  const text = codes.join('\n');
  return (
    <>
      <h2 ref={heading} tabIndex={-1}>
        {t('secondFactor.recoveryTitle')}
      </h2>
      <p>{t('secondFactor.recoveryIntro')}</p>
      <ul className="recovery-codes" aria-label={t('secondFactor.recoveryTitle')}>
        {codes.map((c) => (
          <li key={c}>
            <code>{c}</code>
          </li>
        ))}
      </ul>
      <div className="totp-actions">
        <Button
          onPress={() =>
            void navigator.clipboard?.writeText(text).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {t('secondFactor.copy')}
        </Button>
        <a
          className="button"
          href={`data:text/plain;charset=utf-8,${encodeURIComponent(text + '\n')}`}
          download="medora-recovery-codes.txt"
        >
          {t('secondFactor.download')}
        </a>
        <Button className="button--primary" onPress={onContinue}>
          {t('secondFactor.continue')}
        </Button>
      </div>
      <p role="status">{copied ? t('secondFactor.copied') : ''}</p>
    </>
  );
}
