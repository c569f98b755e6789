/**
 * A second server instance that is asked to stop an answer it is not writing (argv[2]: the
 * conversation id), with REDIS_URL from the environment; prints what stopAnswerAnywhere said.
 */
import { stopAnswerAnywhere } from '@/lib/chat/resumable';

const stopped = await stopAnswerAnywhere(process.argv[2]);
console.log(JSON.stringify({ stopped }));
process.exit(0);
