/** A message the demo would send by email. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** The link the message carries (verification, reset), for the log and for tests. */
  readonly link: string;
}

/** Where mail goes. The demo has no SMTP server: mail is written to the server log. */
export interface Mailer {
  send(message: MailMessage): Promise<void>;
}

/** Writes every message to the server log: "sending" mail in the demo. */
export function logMailer(log: (line: string) => void = (line) => console.log(line)): Mailer {
  return {
    async send(message) {
      log(`\n[mail] to: ${message.to}\n[mail] subject: ${message.subject}\n[mail] ${message.text}\n[mail] link: ${message.link}\n`);
    },
  };
}

/** Keeps messages in memory (tests read the links from it) and optionally logs them too. */
export class MemoryMailer implements Mailer {
  readonly messages: MailMessage[] = [];

  constructor(private readonly next?: Mailer) {}

  async send(message: MailMessage): Promise<void> {
    this.messages.push(message);
    await this.next?.send(message);
  }

  /** The newest message to `to` whose subject contains `subject`. */
  latest(to: string, subject: string): MailMessage | undefined {
    return [...this.messages].reverse().find((message) => message.to.toLowerCase() === to.toLowerCase() && message.subject.includes(subject));
  }
}
