using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CallbackInbox : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "wecom_inbox",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    event_key = table.Column<string>(type: "TEXT", maxLength: 128, nullable: false),
                    msg_type = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    event_name = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    payload = table.Column<string>(type: "TEXT", nullable: false),
                    received_at = table.Column<long>(type: "INTEGER", nullable: false),
                    status = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    next_attempt_at = table.Column<long>(type: "INTEGER", nullable: false),
                    locked_until = table.Column<long>(type: "INTEGER", nullable: true),
                    lock_owner = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    outcome = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    last_error = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    processed_at = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_wecom_inbox", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_wecom_inbox_event_key",
                table: "wecom_inbox",
                column: "event_key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_wecom_inbox_status_next_attempt_at",
                table: "wecom_inbox",
                columns: new[] { "status", "next_attempt_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "wecom_inbox");
        }
    }
}
