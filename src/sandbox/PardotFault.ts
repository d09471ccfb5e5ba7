import { PardotPipesError } from '../pardot/errors';

/** One parameter's complaint inside a code 10000 reply. */
export interface ParamProblem {
  param: string;
  message: string;
}

/**
 * A fail reply the sandbox sends: Pardot's numeric code, its text and the HTTP status. Thrown
 * inside handlers and turned into the v3/v4 or v5 error body at the edge.
 */
export class PardotFault extends PardotPipesError {
  override readonly code: string = 'PARDOT_SANDBOX_FAULT';
  readonly errCode: number;
  readonly httpStatus: number;
  readonly problems: ParamProblem[];

  constructor(errCode: number, message: string, httpStatus = 400, problems: ParamProblem[] = []) {
    super(message, { pardotCode: errCode, status: httpStatus });
    this.errCode = errCode;
    this.httpStatus = httpStatus;
    this.problems = problems;
  }
}

/** Code 10000 for one or more bad parameters. */
export function paramFault(problems: ParamProblem[]): PardotFault {
  return new PardotFault(10000, problems.map((p) => p.message).join('; '), 400, problems);
}
