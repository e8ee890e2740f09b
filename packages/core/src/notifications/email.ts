import nodemailer, { type Transporter } from 'nodemailer';
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
  const transport: Transporter = nodemailer.createTransport(config.url, {
    from: config.from,
  });
  return {
    async send(message) {
      await transport.sendMail({ to: message.to, subject: message.subject, text: message.text });
    },
    close() {
      transport.close();
    },
  };
}
