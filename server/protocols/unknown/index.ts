// The fallback module: last in the registry, it claims whatever no protocol did.

import { defineModule } from '../../core/module';
import { unknownRoute } from './route';

export const unknownModule = defineModule({ name: 'unknown', routes: [unknownRoute] });
