using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class WorkQueue : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "version",
                table: "wecom_inbox",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.CreateTable(
                name: "approval_sync_schedule",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    next_sync_at = table.Column<long>(type: "INTEGER", nullable: false),
                    last_synced_at = table.Column<long>(type: "INTEGER", nullable: true),
                    failures = table.Column<int>(type: "INTEGER", nullable: false),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    version = table.Column<Guid>(type: "TEXT", nullable: false),
                    lock_owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_approval_sync_schedule", x => x.id);
                    table.ForeignKey(
                        name: "fk_approval_sync_schedule_approval_instance_id",
                        column: x => x.id,
                        principalTable: "approval_instance",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_approval_instance_is_open_submission_state",
                table: "approval_instance",
                columns: new[] { "is_open", "submission_state" });

            migrationBuilder.CreateIndex(
                name: "ix_approval_sync_schedule_next_sync_at",
                table: "approval_sync_schedule",
                column: "next_sync_at");

            // Every open submitted approval keeps its place in the sync (ADR-22): the schedule starts from the old columns.
            migrationBuilder.Sql(@"INSERT INTO approval_sync_schedule (id, next_sync_at, last_synced_at, failures, version)
SELECT id, COALESCE(last_synced_at, submitted_at), last_synced_at, 0, '00000000-0000-0000-0000-000000000000'
FROM approval_instance WHERE is_open = 1 AND submission_state = 'Submitted';");

            migrationBuilder.DropIndex(
                name: "ix_approval_instance_is_open_last_synced_at",
                table: "approval_instance");

            migrationBuilder.DropColumn(
                name: "last_synced_at",
                table: "approval_instance");

            migrationBuilder.DropColumn(
                name: "sync_lease_owner",
                table: "approval_instance");

            migrationBuilder.DropColumn(
                name: "sync_lease_until",
                table: "approval_instance");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "approval_sync_schedule");

            migrationBuilder.DropIndex(
                name: "ix_approval_instance_is_open_submission_state",
                table: "approval_instance");

            migrationBuilder.DropColumn(
                name: "version",
                table: "wecom_inbox");

            migrationBuilder.AddColumn<long>(
                name: "last_synced_at",
                table: "approval_instance",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "sync_lease_owner",
                table: "approval_instance",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "sync_lease_until",
                table: "approval_instance",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_approval_instance_is_open_last_synced_at",
                table: "approval_instance",
                columns: new[] { "is_open", "last_synced_at" });
        }
    }
}
