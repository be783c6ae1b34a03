using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace CrmIntegration.Infrastructure.Persistence.Migrations.SqlServer
{
    /// <inheritdoc />
    public partial class InboxClaimInReceivedOrder : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wecom_inbox_status_next_attempt_at",
                table: "wecom_inbox");

            migrationBuilder.CreateIndex(
                name: "ix_wecom_inbox_status_received_at",
                table: "wecom_inbox",
                columns: new[] { "status", "received_at" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_wecom_inbox_status_received_at",
                table: "wecom_inbox");

            migrationBuilder.CreateIndex(
                name: "ix_wecom_inbox_status_next_attempt_at",
                table: "wecom_inbox",
                columns: new[] { "status", "next_attempt_at" });
        }
    }
}
