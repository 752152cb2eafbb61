import { ExitCodeError } from './config.js';

/**
 * A command that has printed its own report of what failed (`expe webhooks check`) and only
 * needs the non-zero exit: nothing more is printed for it.
 */
export class ReportedFailure extends ExitCodeError {
  constructor(message: string, exitCode = 1) {
    super('ReportedFailure', message, exitCode);
  }
}
