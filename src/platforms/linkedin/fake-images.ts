import type { FakeRequest, FakeResponse } from '../fake/server.js';
import type { LinkedInImage, LinkedInInitializeUploadResponse } from './api-types.js';
import { admit, bearer, type Caller, header, mayRead, mayWrite, required, URN } from './fake-posts.js';
import {
  accessDenied,
  fieldErrors,
  illegalArgument,
  liError,
  notConvertible,
  notFound,
} from './fake-responses.js';
import { type LinkedInFakeState, UPLOAD_URL_LIFE_MS } from './fake-state.js';

/**
 * The Images API of the fake (article thumbnails): `POST /rest/images?action=initializeUpload` behind the same
 * gateway and posting permission as /rest/posts, the upload URL it hands out (`PUT /dms-uploads/<id>`, on the
 * fake itself; www.linkedin.com in production) and `GET /rest/images/<encoded urn>`.
 */

const UPLOAD_PATH = '/dms-uploads/';
const DOWNLOAD_PATH = '/dms-downloads/';
const IMAGES_RESOURCE = 'partnerApiImages';

/** `/rest/images…` (the gateway checks first, without the /rest/posts daily counters). */
export function handleImages(state: LinkedInFakeState, req: FakeRequest, now: number): FakeResponse {
  const admitted = admit(state, req, now, false);
  if ('status' in admitted) return admitted;
  if (req.path === '/rest/images' && req.method === 'POST')
    return initializeUpload(state, req, admitted, now);
  if (req.path.startsWith('/rest/images/') && req.method === 'GET')
    return getImage(state, req, admitted, decodeURIComponent(req.path.slice('/rest/images/'.length)));
  return notFound(req.method, req.path);
}

function initializeUpload(
  state: LinkedInFakeState,
  req: FakeRequest,
  caller: Caller,
  now: number,
): FakeResponse {
  const action = req.query.get('action');
  if (action !== 'initializeUpload')
    return illegalArgument(
      `Unsupported action ${action ?? '(none)'} on /images: use action=initializeUpload`,
    );
  const raw = req.json;
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return notConvertible();
  const request = (raw as { initializeUploadRequest?: unknown }).initializeUploadRequest;
  if (request === null || typeof request !== 'object')
    return fieldErrors([required('/initializeUploadRequest')]);
  const owner = (request as { owner?: unknown }).owner;
  if (owner === undefined) return fieldErrors([required('/initializeUploadRequest/owner')]);
  if (typeof owner !== 'string' || !URN.test(owner))
    return fieldErrors([
      `ERROR :: /initializeUploadRequest/owner :: ${JSON.stringify(owner)} is not a valid person or organization URN`,
    ]);
  if (!mayWrite(state, caller.token, owner))
    return accessDenied('ACTION-initializeUpload', caller.version, IMAGES_RESOURCE);

  const id = state.nextImageId();
  const urn = `urn:li:image:${id}`;
  const uploadUrlExpiresAt = now + UPLOAD_URL_LIFE_MS;
  state.images.set(urn, {
    urn,
    id,
    owner,
    member: caller.token.member,
    status: 'WAITING_UPLOAD',
    uploadUrlExpiresAt,
    createdAt: now,
  });
  const body: LinkedInInitializeUploadResponse = {
    value: { uploadUrlExpiresAt, uploadUrl: `${new URL(req.url).origin}${UPLOAD_PATH}${id}`, image: urn },
  };
  return { status: 200, body };
}

function getImage(state: LinkedInFakeState, req: FakeRequest, caller: Caller, urn: string): FakeResponse {
  const image = state.images.get(urn);
  if (!image) return liError(404, undefined, `Image ${urn} does not exist`, 0);
  if (!mayWrite(state, caller.token, image.owner) && !mayRead(state, caller.token, image.owner))
    return accessDenied('GET', caller.version, IMAGES_RESOURCE);
  const body: LinkedInImage = { id: urn, owner: image.owner, status: image.status };
  if (image.status === 'AVAILABLE') {
    body.downloadUrl = `${new URL(req.url).origin}${DOWNLOAD_PATH}${image.id}`;
    body.downloadUrlExpiresAt = image.uploadUrlExpiresAt;
  }
  return { status: 200, body };
}

/** Whether a path is the fake's upload or download URL of an image (not versioned, not under /rest). */
export function isImageTransfer(path: string): boolean {
  return path.startsWith(UPLOAD_PATH) || path.startsWith(DOWNLOAD_PATH);
}

/**
 * `PUT /dms-uploads/<id>` with the image bytes and `Authorization: Bearer` of the member who initialized the
 * upload → 201 (the image becomes AVAILABLE); `GET /dms-downloads/<id>` serves the bytes back.
 */
export function handleImageTransfer(state: LinkedInFakeState, req: FakeRequest, now: number): FakeResponse {
  const download = req.path.startsWith(DOWNLOAD_PATH);
  const id = req.path.slice((download ? DOWNLOAD_PATH : UPLOAD_PATH).length);
  const image = state.images.get(`urn:li:image:${id}`);
  if (download) {
    if (req.method !== 'GET' || image?.bytes === undefined) return notFound(req.method, req.path);
    return {
      status: 200,
      headers: { 'content-type': image.mediaType ?? 'application/octet-stream' },
      body: image.bytes,
    };
  }
  if (req.method !== 'PUT') return notFound(req.method, req.path);

  const token = bearer(state, req, now);
  if ('status' in token) return token;
  if (!image) return notFound(req.method, req.path);
  if (token.member !== image.member)
    return liError(403, 'ACCESS_DENIED', `Not enough permissions to upload image ${image.urn}`, 100);
  if (image.uploadUrlExpiresAt <= now)
    return liError(400, 'ILLEGAL_ARGUMENT', `The upload URL of ${image.urn} has expired`, 100);

  const bytes = req.bytes;
  const size = bytes.length;
  if (size === 0) return liError(400, 'ILLEGAL_ARGUMENT', 'The upload has no bytes', 100);
  Object.assign(image, {
    status: 'AVAILABLE',
    uploadedAt: now,
    mediaType: header(req, 'content-type') ?? 'application/octet-stream',
    bytes,
    size,
  });
  return { status: 201 };
}
