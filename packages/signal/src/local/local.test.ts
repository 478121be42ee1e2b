import { createLogger } from '../logger'
import { createMetrics } from '../metrics/prometheus'
import { describeBusContract } from '../ports/contracts/busContract'
import { describeHallSeatsContract } from '../ports/contracts/hallSeatsContract'
import { describeJobsContract } from '../ports/contracts/jobsContract'
import { describeLocksContract } from '../ports/contracts/locksContract'
import { describeLoginAttemptsContract } from '../ports/contracts/loginAttemptsContract'
import { describePresenceContract } from '../ports/contracts/presenceContract'
import { describeRateLimitsContract } from '../ports/contracts/rateLimitsContract'
import { describeRoomClaimsContract } from '../ports/contracts/roomClaimsContract'
import { describeRoutingStateContract } from '../ports/contracts/routingStateContract'
import { InProcessJobs } from './InProcessJobs'
import { InProcessRoomClaims } from './InProcessRoomClaims'
import { KeyedLock } from './KeyedLock'
import { LocalHallSeats } from './LocalHallSeats'
import { LocalLoginAttempts } from './LocalLoginAttempts'
import { LocalPresence } from './LocalPresence'
import { LocalRateLimits } from './LocalRateLimits'
import { LocalRoutingState } from './LocalRoutingState'
import { MemoryBus } from './MemoryBus'

// One node is its own cluster: both handles of each contract are the same object.
const twice = <T>(port: T) => ({ here: port, there: port, close: async () => {} })

describeBusContract('in-process', async () => twice(new MemoryBus()))
describePresenceContract('in-process', async () => twice(new LocalPresence()))
describeLocksContract('in-process', async () => twice(new KeyedLock()))
describeRoomClaimsContract('in-process', async () => twice(new InProcessRoomClaims()))
describeRoutingStateContract('in-process', async (config) => twice(new LocalRoutingState(config)))
describeJobsContract('in-process', async (clock) =>
  twice(new InProcessJobs(clock, createLogger('silent'), createMetrics())),
)
describeRateLimitsContract('in-process', async (clock) => twice(new LocalRateLimits(clock)))
describeLoginAttemptsContract('in-process', async () => twice(new LocalLoginAttempts()))
describeHallSeatsContract('in-process', async (capacity, clock) =>
  twice(new LocalHallSeats(capacity, clock.now)),
)
