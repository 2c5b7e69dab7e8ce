/**
 * A job file's handler for one job of the catalog (jobs/catalog.ts), which holds its schema,
 * concurrency, retry policy and uniqueness. `jobs/index.ts` registers the handlers with Agenda,
 * with one lock lifetime kept alive while a run lasts (bot/agenda.ts).
 */
import type { Services } from '../bot/services.ts';
import type { JobData, JobName } from './catalog.ts';

export interface JobHandler<Name extends JobName = JobName> {
  name: Name;
  /** Does the work of one run, with the data already validated against the job's schema. */
  run: (data: JobData<Name>, services: Services) => Promise<void>;
}

export const defineJob = <Name extends JobName>(name: Name, run: (data: JobData<Name>, services: Services) => Promise<void>): JobHandler<Name> =>
  ({ name, run });
