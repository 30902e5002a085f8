import { N8N_VERSIONS, selectedVersions } from './sandbox/install';
import { describeN8n } from './suite';

describeN8n(N8N_VERSIONS.previous, selectedVersions([N8N_VERSIONS.previous]).length > 0);
