// The errors both stores raise for missing or inactive runs and experiments, worded as MLflow words them.
import { TrackingError } from '../store-kit/index.ts';
import type { LifecycleStage } from './types.ts';

/** RESOURCE_DOES_NOT_EXIST for an unknown run id. */
export function missingRun(runId: string): TrackingError {
  return new TrackingError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`, { field: 'runId' });
}

/** RESOURCE_DOES_NOT_EXIST for an unknown experiment id. */
export function missingExperiment(experimentId: string): TrackingError {
  return new TrackingError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists`, { field: 'experimentId' });
}

/** Throws INVALID_PARAMETER_VALUE unless the run is active (writes to a deleted run are refused). */
export function requireActiveRun(runId: string, stage: LifecycleStage): void {
  if (stage !== 'active') {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `The run ${runId} must be in the 'active' state. Current state is ${stage}.`, {
      field: 'runId',
      hint: 'Restore the run (restoreRun) before writing to it.',
    });
  }
}

/** Throws INVALID_PARAMETER_VALUE unless the experiment is active (no runs or tags in a deleted experiment). */
export function requireActiveExperiment(experimentId: string, stage: LifecycleStage): void {
  if (stage !== 'active') {
    throw new TrackingError('INVALID_PARAMETER_VALUE', `The experiment ${experimentId} must be in the 'active' state. Current state is ${stage}.`, {
      field: 'experimentId',
      hint: 'Restore the experiment (restoreExperiment) first.',
    });
  }
}

/** INVALID_STATE for renaming an experiment that is not active. */
export function renameOfInactiveExperiment(experimentId: string, stage: LifecycleStage): TrackingError {
  return new TrackingError('INVALID_STATE', `Cannot rename a non-active experiment (${experimentId} is ${stage}).`, {
    field: 'experimentId',
    hint: 'Restore the experiment first.',
  });
}

/** RESOURCE_ALREADY_EXISTS for a taken experiment name. */
export function experimentNameTaken(name: string, field = 'name'): TrackingError {
  return new TrackingError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists`, {
    field,
    hint: 'Experiment names stay taken after deletion too: pick another name, or restore the deleted experiment.',
  });
}

/** RESOURCE_DOES_NOT_EXIST for deleting a tag that is not there. */
export function missingTag(key: string, owner: 'run' | 'experiment', id: string): TrackingError {
  return new TrackingError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in ${owner} with id ${id}`, { field: 'key' });
}
