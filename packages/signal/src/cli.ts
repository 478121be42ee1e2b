import { randomBytes, randomUUID } from 'node:crypto'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { asTeamId, asUserId, type TeamId, TeamIdSchema } from '@kefu/shared'
import { hashPassword } from './auth/passwords'
import { loadConfig } from './config'
import type { StaffRole } from './store/Repository'
import { SqliteRepository } from './store/SqliteRepository'

const USAGE = `kefu: manage teams and staff in the data folder (DATA_DIR, default ./data)

  kefu team add <id> --name <name> [--target-ms 60000]
  kefu team list
  kefu agent add <login> --name <name> --teams a,b [--capacity 3] [--role agent|supervisor] [--password <p>]
  kefu agent teams <login> --teams a,b
  kefu agent deactivate <login>
  kefu agent list

A running server ends or narrows the person's live sessions within SESSION_REVIEW_MS.
`

async function knownTeams(repo: SqliteRepository, list: string): Promise<TeamId[]> {
  const known = new Set((await repo.listTeams()).map((team) => team.id))
  const teams = list
    .split(',')
    .filter(Boolean)
    .map((team) => asTeamId(team))
  const unknown = teams.filter((team) => !known.has(team))
  if (unknown.length > 0) throw new Error(`unknown team(s): ${unknown.join(', ')}; add them first`)
  return teams
}

async function run(argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      name: { type: 'string' },
      'target-ms': { type: 'string', default: '60000' },
      teams: { type: 'string', default: '' },
      capacity: { type: 'string', default: '3' },
      role: { type: 'string', default: 'agent' },
      password: { type: 'string' },
    },
  })
  const [noun, verb, id] = positionals
  const config = loadConfig({ KEFU_DEV: '1', ...process.env })
  const repo = new SqliteRepository(join(config.dataDir, 'kefu.db'))
  try {
    if (noun === 'team' && verb === 'add' && id) {
      const teamId = TeamIdSchema.parse(id)
      await repo.upsertTeam({
        id: teamId,
        name: values.name ?? id,
        answerTargetMs: Number(values['target-ms']),
      })
      return `team ${teamId} saved`
    }
    if (noun === 'team' && verb === 'list') {
      return (await repo.listTeams())
        .map((team) => `${team.id}\t${team.name}\t${team.answerTargetMs} ms`)
        .join('\n')
    }
    if (noun === 'agent' && verb === 'add' && id) {
      const role = values.role === 'supervisor' ? 'supervisor' : ('agent' satisfies StaffRole)
      const teams = await knownTeams(repo, values.teams)
      const password = values.password ?? randomBytes(9).toString('base64url')
      await repo.createStaff({
        id: asUserId(`s_${randomUUID().slice(0, 8)}`),
        login: id,
        displayName: values.name ?? id,
        role,
        passwordHash: await hashPassword(password),
        capacity: Number(values.capacity),
        teams,
      })
      return `${role} ${id} added; password: ${password}`
    }
    if (noun === 'agent' && (verb === 'teams' || verb === 'deactivate') && id) {
      const staff = await repo.findStaffByLogin(id)
      if (!staff) throw new Error(`no staff member with login ${id}`)
      if (verb === 'deactivate') {
        await repo.updateStaff(staff.id, { active: false })
        return `${id} deactivated`
      }
      const teams = await knownTeams(repo, values.teams)
      await repo.updateStaff(staff.id, { teams })
      return `${id} now in teams: ${teams.join(', ') || 'none'}`
    }
    if (noun === 'agent' && verb === 'list') {
      const staff = await repo.listStaff()
      return staff
        .map(
          (s) =>
            `${s.login}\t${s.role}\t${s.displayName}\tcapacity ${s.capacity}\t${s.teams.join(',')}${s.active ? '' : '\tdeactivated'}`,
        )
        .join('\n')
    }
    return USAGE
  } finally {
    await repo.close()
  }
}

run(process.argv.slice(2)).then(
  (output) => process.stdout.write(`${output}\n`),
  (error: unknown) => {
    process.stderr.write(`kefu: ${(error as Error).message}\n`)
    process.exit(1)
  },
)
