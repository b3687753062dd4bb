// Failures' messages and stack traces name paths and files: with a key configured, they travel as an
// encoded payload (which the payload codec encrypts) and the history shows only "Encoded failure".
// Loaded by path (dataConverter.failureConverterPath), as the SDK requires.
import { DefaultFailureConverter } from '@temporalio/common';

export const failureConverter = new DefaultFailureConverter({ encodeCommonAttributes: true });
