import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Public } from '@keystone/access';
import {
  ldcChangeInForceFrom,
  LDC_CHANGES,
  MEMBER_STATES,
  REFERENCE_DATA_EDITION,
  REGIONAL_GROUPS,
  SDG_GOALS,
  SDG_SOURCE,
  THEMES,
} from '@keystone/reference-data';
import { acceptedThemes, PlatformDirectory } from '@keystone/platform';

class EditionView {
  @ApiProperty({ description: 'The day the lists are as of (YYYY-MM-DD)' }) asOf!: string;
  @ApiProperty({ description: 'The day they were last checked against their sources' })
  checkedOn!: string;
  @ApiProperty({ type: [String], description: 'Where each list comes from' }) sources!: string[];
}

class LdcChangeView {
  @ApiProperty({ enum: ['graduated', 'scheduled-graduation'] }) change!: string;
  @ApiProperty({ description: 'YYYY-MM-DD, or YYYY-MM where the source gives only the month' })
  on!: string;
  @ApiProperty({ description: 'The first day the change is in force (YYYY-MM-DD)' })
  inForceFrom!: string;
  @ApiProperty() source!: string;
  @ApiProperty({
    example: 1971,
    description:
      'The year it was included in the category (an LDC from 1 January of the year after)',
  })
  includedIn!: number;
}

class ReferenceStateView {
  @ApiProperty({ example: 'MWI' }) iso3!: string;
  @ApiProperty() name!: string;
  @ApiProperty({
    enum: [
      'african',
      'asia-pacific',
      'eastern-european',
      'latin-american-caribbean',
      'western-european-other',
    ],
  })
  regionalGroup!: string;
  @ApiProperty({ description: 'A least developed country as of the edition' }) ldc!: boolean;
  @ApiProperty({ description: 'A small island developing State' }) sids!: boolean;
  @ApiProperty({ enum: ['developed', 'developing'] }) development!: string;
  @ApiPropertyOptional({
    type: LdcChangeView,
    description:
      'Its graduation from the LDC category, past or scheduled: a request records the flag in force on its own date',
  })
  ldcChange?: LdcChangeView;
}

class RegionalGroupView {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

class ReferenceStatesView {
  @ApiProperty({ type: EditionView }) edition!: EditionView;
  @ApiProperty({ type: [RegionalGroupView] }) regionalGroups!: RegionalGroupView[];
  @ApiProperty({ type: [ReferenceStateView] }) states!: ReferenceStateView[];
}

class ThemeView {
  @ApiProperty({ example: 'torture-prevention' }) slug!: string;
  @ApiProperty({ example: 'Torture prevention' }) label!: string;
  @ApiProperty({
    type: [String],
    example: ['NPM', 'national preventive mechanism'],
    description: 'Other names that resolve to this theme (in requests, rosters and filters)',
  })
  synonyms!: string[];
  @ApiProperty({
    enum: ['reference', 'accepted'],
    description: 'From the reference data, or proposed and accepted by a case officer',
  })
  origin!: string;
}

class SdgGoalView {
  @ApiProperty({ example: 16 }) goal!: number;
  @ApiProperty({ example: 'Peace, justice and strong institutions' }) title!: string;
  @ApiProperty({ type: [String], example: ['16.1', '16.2', '16.a'] }) targets!: string[];
}

class ReferenceSdgsView {
  @ApiProperty() source!: string;
  @ApiProperty({ type: [SdgGoalView] }) goals!: SdgGoalView[];
}

class ReferenceThemesView {
  @ApiProperty({ type: [ThemeView] }) themes!: ThemeView[];
}

/** The reference data every figure is broken down by, public: the same lists the API checks against. */
@Controller('reference')
export class ReferenceHttpController {
  constructor(private readonly platform: PlatformDirectory) {}

  @Get('states')
  @Public()
  @ApiOperation({
    summary:
      "The UN Member States with their regional group, LDC, SIDS and development flags, each LDC graduation dated and sourced, and the lists' edition",
  })
  @ApiOkResponse({ type: ReferenceStatesView })
  states(): ReferenceStatesView {
    const changes = new Map(LDC_CHANGES.map((c) => [c.iso3, c]));
    return {
      edition: { ...REFERENCE_DATA_EDITION, sources: [...REFERENCE_DATA_EDITION.sources] },
      regionalGroups: REGIONAL_GROUPS.map((g) => ({ id: g.id, name: g.name })),
      states: MEMBER_STATES.map((state) => {
        const change = changes.get(state.iso3);
        return {
          iso3: state.iso3,
          name: state.name,
          regionalGroup: state.regionalGroup,
          ldc: state.ldc,
          sids: state.sids,
          development: state.development,
          ...(change
            ? {
                ldcChange: {
                  change: change.change,
                  on: change.on,
                  inForceFrom: ldcChangeInForceFrom(change),
                  source: change.source,
                  includedIn: change.includedIn,
                },
              }
            : {}),
        };
      }),
    };
  }

  @Get('themes')
  @Public()
  @ApiOperation({
    summary:
      'The vocabulary of themes of assistance: each slug, its label and the synonyms that resolve to it',
  })
  @ApiOkResponse({ type: ReferenceThemesView })
  async themes(): Promise<ReferenceThemesView> {
    const accepted = acceptedThemes(await this.platform.themes());
    return {
      themes: [
        ...THEMES.map((theme) => ({
          ...theme,
          synonyms: [...theme.synonyms],
          origin: 'reference',
        })),
        ...accepted.map(({ slug, label, synonyms }) => ({
          slug,
          label,
          synonyms: [...synonyms],
          origin: 'accepted',
        })),
      ],
    };
  }

  @Get('sdgs')
  @Public()
  @ApiOperation({
    summary: 'The Sustainable Development Goals and the official codes of their 169 targets',
  })
  @ApiOkResponse({ type: ReferenceSdgsView })
  sdgs(): ReferenceSdgsView {
    return {
      source: SDG_SOURCE,
      goals: SDG_GOALS.map((g) => ({ goal: g.goal, title: g.title, targets: [...g.targets] })),
    };
  }
}
