// The SQM relay module (Windows Feedback Forwarder role, MS-SQMCS 3.3, MS-SQMCS2 3.3), served on
// --relay-port only: sessions augmented on the way upstream, both legs captured.

import { defineModule } from '../../core/module';
import { relayRoute } from './route';

export const relayModule = defineModule({ name: 'relay', routes: [relayRoute] });
