export {
  clampInside,
  createHallLayout,
  type DeskPlace,
  type FloorBox,
  type HallLayout,
  isFree,
  moveAvatar,
} from './hallLayout'
export { type HallRole, HallRoleSchema, hallRoleOf, POSE_TOPIC } from './hallRoles'
export {
  distanceGain,
  type FloorPoint,
  floorDistance,
  HALL_HEARING,
  isInEarshot,
  type Listener,
  stereoGains,
  stereoPan,
} from './hearing'
export { INTERPOLATION_DELAY_MS, PoseBuffer } from './PoseBuffer'
export { MAX_POSE_HZ, POSE_KEEPALIVE_MS, PoseSchedule } from './PoseSchedule'
export {
  AvatarMotion,
  angleBetween,
  decodePose,
  encodePose,
  hasPoseChanged,
  MAX_POSE_COORDINATE_M,
  POSE_BYTES,
  type Pose,
} from './pose'
export { decodePoseDown, decodePoseUp, encodePoseDown, encodePoseUp, PoseFrameKind } from './poseFrames'
export {
  decodeShowcase,
  encodeShowcase,
  SHOWCASE_TOPIC,
  type ShowcaseState,
  ShowcaseStateSchema,
} from './showcase'
