/**
 * Actions AWS may refuse an upload that the contract's list of what an S3 write needs leaves out: sending
 * object tags needs s3:PutObjectTagging, Object Lock headers s3:PutObjectRetention or s3:PutObjectLegalHold,
 * and by the contract an ACL header that grants only the bucket owner needs no s3:PutObjectAcl. The engine evaluates what the contract lists; when AWS's own message names one of
 * these, its word decides, and the words below say what in the upload asked for it.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html
 * https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObjectRetention.html
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lock.html
 */
interface AskedFor {
  /** What in the upload needs the action. */
  why: string;
  /** What the uploader can do instead of getting it granted. */
  instead: string;
}

const ASKED_FOR: Readonly<Record<string, AskedFor>> = {
  's3:putobjecttagging': {
    why: 'an upload that sets object tags (x-amz-tagging) needs it beside s3:PutObject',
    instead: 'upload without tags',
  },
  's3:putobjectacl': { why: 'an upload that sets an ACL may need it beside s3:PutObject', instead: 'upload without ACL headers' },
  's3:putobjectretention': {
    why: 'an upload that sets an Object Lock retention (x-amz-object-lock-mode) needs it beside s3:PutObject',
    instead: "upload without retention headers and let the bucket's default retention apply",
  },
  's3:putobjectlegalhold': {
    why: 'an upload that sets a legal hold (x-amz-object-lock-legal-hold) needs it beside s3:PutObject',
    instead: 'upload without the legal hold header',
  },
};

const UNKNOWN: AskedFor = { why: 'AWS asked for it with this upload', instead: 'leave out what asks for it' };

export function askedFor(action: string): AskedFor {
  return ASKED_FOR[action.toLowerCase()] ?? UNKNOWN;
}
