// Small files between two `local` connections skip the streams: the destination's connector copies
// them on its copy threads (Connector.localDirect). Only what the usual path would simply write goes
// there: nothing listed at the name, a known size under the limit, no upload session. Every other
// file, and each one the threads hand back (its name taken since listing, a symlink, a changed size,
// an error), goes the usual way (file.ts), which decides, retries and reports it as always; none of
// them left anything at the destination. In a retried or resumed batch too: a file an earlier try
// wrote holds its name, so the thread hands it back and the usual path counts it (earlier-write.ts).
import type { DirectFile, LocalDirect } from '../../connectors';
import type { CopyContext } from './context';
import type { FileOutcome, FileTask } from '../../contract';

/** A file of the batch still to copy: its index in the request, and the task as the usual path gets it. */
export interface Queued {
  index: number;
  task: FileTask;
}

/**
 * Starts copying what it can of `todo` directly, telling `finish` each file copied (once the
 * destination's next flush makes it durable). Answers the files for the usual path: those it did not
 * take, now; those it hands back, once it is done (rejected when cancelled or when a thread failed).
 */
export async function copyDirect(
  ctx: CopyContext,
  todo: Queued[],
  finish: (index: number, outcome: FileOutcome) => void,
): Promise<{ usual: Queued[]; handedBack: Promise<Queued[]> }> {
  const none = { usual: todo, handedBack: Promise.resolve([]) };
  if (ctx.session || !ctx.source.localDirect || !ctx.destination.localDirect) return none;
  const [from, to] = await Promise.all([ctx.source.localDirect(), ctx.destination.localDirect()]);
  const direct: Queued[] = [];
  const usual: Queued[] = [];
  for (const q of todo) (simple(q.task, to) ? direct : usual).push(q);
  if (direct.length === 0) return none;

  const back: Queued[] = [];
  const handedBack = to
    .copySmallFrom(from, direct.map(asDirect(ctx)), {
      verify: ctx.verify,
      signal: ctx.signal,
      ...(ctx.tenant && { tenant: ctx.tenant }),
      onResult(k, result) {
        const q = direct[k];
        if ('copied' in result) {
          ctx.watch?.onBytes?.(result.copied);
          finish(q.index, { status: 'copied', bytes: result.copied });
        } else if (result.retry === 'taken') {
          // Taken since exploring listed the folder: the usual path looks at what is there now.
          back.push({ index: q.index, task: { ...q.task, found: undefined } });
        } else back.push(q);
      },
    })
    .then(() => {
      if (ctx.signal.aborted) throw ctx.signal.reason;
      return back.sort((a, b) => a.index - b.index);
    });
  return { usual, handedBack };
}

const simple = (task: FileTask, to: LocalDirect): boolean =>
  task.found === null && !task.skip && !task.fail && task.size !== null && task.size < to.maxBytes;

const asDirect =
  (ctx: CopyContext) =>
  ({ task }: Queued): DirectFile => ({
    source: task.sourcePath,
    destination: task.destinationPath,
    size: task.size!,
    modifiedAt: ctx.preserveModifiedTime === false ? null : task.modifiedAt,
  });
