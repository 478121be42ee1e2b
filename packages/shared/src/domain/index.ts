export {
  Channel,
  ChannelSchema,
  type Conversation,
  ConversationSchema,
  ConversationState,
  ConversationStateSchema,
  canTransition,
  DeliveryRoute,
  DeliveryRouteSchema,
  isOpen,
  MAX_RATING_COMMENT_CHARS,
  MAX_TRANSFER_NOTE_CHARS,
  RatingScoreSchema,
  RESOLUTION_CODES,
  ResolutionCode,
  ResolutionCodeSchema,
  SATISFIED_SCORE,
  transition,
} from './conversation'
export {
  type BotHandoffReason,
  BotHandoffReasonSchema,
  type ConversationEvent,
  type ConversationEventName,
  type ConversationEventOf,
  ConversationEventSchema,
  parseConversationEvent,
} from './events'
export {
  type Attachment,
  AttachmentSchema,
  MAX_MESSAGE_CHARS,
  type Message,
  MessageKind,
  MessageKindSchema,
  MessageSchema,
  Role,
  RoleSchema,
  SendableKindSchema,
} from './message'
export {
  DEMO_CATALOGUE,
  formatPrice,
  type Product,
  ProductCatalogueSchema,
  ProductIdSchema,
  ProductSchema,
  type ProductShape,
  ProductShapeSchema,
} from './product'
export { type CustomerTraits, type SignedProfile, SignedProfileSchema } from './profile'
export { isVisiblyEmpty, isWellFormed, peopleText, toStorable } from './text'
