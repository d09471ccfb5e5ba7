import type { Observable } from 'rxjs';

import type { TimeWindow } from '../sources/types';
import type { StreamDefinition } from './definePipeline';

/** Objects read through the query API by the shipped pipelines, in the order they start. */
export const QUERY_OBJECTS = [
  'prospect',
  'visitor',
  'list',
  'listMembership',
  'opportunity',
  'campaign',
  'emailClick',
  'user',
  'tag',
  'tagObject',
  'customField',
  'customRedirect',
  'form',
  'dynamicContent',
  'lifecycleStage',
  'lifecycleHistory',
  'prospectAccount',
] as const;

/** Pardot returns only visitors linked to a prospect unless told otherwise. */
export const ALL_VISITORS = { only_identified: 'false' };

/**
 * One query stream per object, each over the windows `windowsOf` gives it, with every
 * visitor (not only identified ones), then visits: they have no filter of their own, so they
 * are read per visitor changed in each window.
 */
export function queryStreams(
  windowsOf: (object: string) => Observable<TimeWindow>,
): StreamDefinition[] {
  return [
    ...QUERY_OBJECTS.map((object) => ({
      object,
      source: 'query' as const,
      windows: windowsOf(object),
      params: object === 'visitor' ? ALL_VISITORS : undefined,
    })),
    {
      object: 'visit',
      source: 'query',
      windows: windowsOf('visit'),
      parent: { object: 'visitor', param: 'visitor_ids', params: ALL_VISITORS },
    },
  ];
}
