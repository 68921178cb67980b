// The least a run or an experiment must carry to be searched: the REST JSON shapes in camelCase. The tracking
// store's full Run and Experiment types are assignable to these.

/** A `{ key, value }` pair as MLflow's REST JSON lists params and tags. */
export interface KeyValue {
  key: string;
  value: string;
}

/** A run's latest value of one metric. */
export interface LatestMetric {
  key: string;
  value: number;
  timestamp?: number;
  step?: number;
}

/** A run as search sees it. */
export interface SearchableRun {
  info: {
    runId: string;
    runName?: string;
    experimentId?: string;
    status?: string;
    startTime?: number;
    endTime?: number | null;
    lifecycleStage?: string;
    artifactUri?: string;
    userId?: string;
  };
  data: {
    metrics?: readonly LatestMetric[];
    params?: readonly KeyValue[];
    tags?: readonly KeyValue[];
  };
}

/** An experiment as search sees it. */
export interface SearchableExperiment {
  experimentId: string;
  name: string;
  creationTime?: number;
  lastUpdateTime?: number;
  tags?: readonly KeyValue[];
}
