// The SQM v1 protocol module (MS-SQMCS): binary sessions POSTed to /sqm/<partner>/sqmserver.dll,
// answered 200 / 201 / 403 / 400. Its sessions go to the shared session tables (server/sessions/).

import { defineModule } from '../../core/module';
import { sqmV1Route } from './route';
import { SqmV1RespondSchema } from './schema';

export const sqmV1Module = defineModule({
  name: 'sqm-v1',
  routes: [sqmV1Route],
  scenario: { respond: { sqm: SqmV1RespondSchema } },
});
