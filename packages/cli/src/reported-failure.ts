/**
 * A command that has printed its own report of what failed (`expe webhooks check`) and only
 * needs the non-zero exit: nothing more is printed for it.
 */
export class ReportedFailure extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.name = 'ReportedFailure';
    this.exitCode = exitCode;
  }
}
