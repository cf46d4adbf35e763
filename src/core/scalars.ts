import { DateTimeResolver as BaseDateTime, JSONResolver as BaseJSON, LocalDateResolver as BaseLocalDate } from "graphql-scalars";
import { GraphQLError, GraphQLScalarType, type GraphQLScalarTypeConfig } from "graphql";

/**
 * The hub's custom scalars: graphql-scalars' DateTime, LocalDate and JSON, with the same names,
 * descriptions and behaviour, except that a value they refuse is never quoted back. graphql-scalars'
 * own messages carry the submitted text ("DateTime cannot represent an invalid date-time-string
 * 1983-04-12", "Value is not a valid LocalDate: …"), and a date of birth or a name typed into a date
 * field is personal data. graphql-js adds the field's path; the reason given here is the rule only.
 */
function withoutEcho(base: GraphQLScalarType, rule: string): GraphQLScalarType {
  const config = base.toConfig() as GraphQLScalarTypeConfig<unknown, unknown>;
  const refuse = (): never => {
    throw new GraphQLError(`${base.name} ${rule}`);
  };
  return new GraphQLScalarType({
    ...config,
    parseValue(value) {
      try {
        return config.parseValue ? config.parseValue(value) : value;
      } catch {
        return refuse();
      }
    },
    parseLiteral(ast, variables) {
      try {
        return config.parseLiteral ? config.parseLiteral(ast, variables) : undefined;
      } catch {
        return refuse();
      }
    },
  });
}

export const DateTimeResolver = withoutEcho(BaseDateTime, "must be an ISO 8601 date-time with a time zone, e.g. 2026-11-21T01:40:00Z");
export const LocalDateResolver = withoutEcho(BaseLocalDate, "must be a calendar date as YYYY-MM-DD, e.g. 2026-11-21");
export const JSONResolver = withoutEcho(BaseJSON, "must be a JSON value");
