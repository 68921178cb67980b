import { describe, expect, it } from 'vitest';
import { TrackingError } from '../store-kit/index.ts';
import { parseModelUri } from './index.ts';

describe('parseModelUri', () => {
  it("reads a version, latest (any case), a stage and an alias as MLflow's _parse_model_uri does", () => {
    expect(parseModelUri('models:/clf/3')).toEqual({ name: 'clf', version: '3' });
    expect(parseModelUri('models:/clf/LATEST')).toEqual({ name: 'clf', latest: true });
    expect(parseModelUri('models:/clf/Production')).toEqual({ name: 'clf', stage: 'Production' });
    expect(parseModelUri('models:/team@clf@champion')).toEqual({ name: 'team@clf', alias: 'champion' });
  });

  it('refuses another scheme, a host, a bare name and extra path parts, naming the field and the forms', () => {
    for (const uri of ['runs:/abc/model', 'models://host/clf/1', 'models:/clf', 'models:/clf/1/extra', 'models:/clf/', 'models:/clf@', 'models:clf/1']) {
      let thrown: unknown;
      try {
        parseModelUri(uri, 'srcModelUri');
      } catch (error) {
        thrown = error;
      }
      expect(thrown, uri).toBeInstanceOf(TrackingError);
      expect(thrown).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', field: 'srcModelUri', hint: expect.stringContaining('models:/<name>@<alias>') });
    }
  });
});
