import type { Transporter } from 'nodemailer';
import type { SmtpConfig } from '../config';

export interface EmailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface EmailSender {
  send(message: EmailMessage): Promise<void>;
  close(): void;
}

/**
 * E-mail over SMTP with nodemailer: one pooled transport per process (SMTP_URL: `smtp://` with
 * STARTTLS when the server offers it, `smtps://` for implicit TLS). Plain text only: the
 * notifications carry no markup worth the HTML.
 */
export function createEmailSender(config: SmtpConfig): EmailSender {
  // nodemailer (~40 modules) is loaded with the first message, not by every process that might
  // one day send one.
  let transport: Promise<Transporter> | undefined;
  const open = () =>
    (transport ??= import('nodemailer').then(({ default: nodemailer }) =>
      nodemailer.createTransport(config.url, { from: config.from }),
    ));
  return {
    async send(message) {
      const t = await open();
      await t.sendMail({ to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      void transport?.then((t) => t.close());
    },
  };
}
