// The built-in IndexedDB stores, one export per store group, all under the URI scheme `idb`.
import { defineTrackingStore } from 'plugboard/sdk';
import { IdbTrackingStore, idbDatabaseOf, type TrackingStore } from '../../tracking/index.ts';

/** `mlflow.tracking_store` under `idb`: `idb:` opens database `plugboard`, `idb://name` database `name`. */
export const idbTrackingStore = defineTrackingStore<TrackingStore>((uri) => new IdbTrackingStore(idbDatabaseOf(uri)));
